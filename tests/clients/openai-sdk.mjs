// SPDX-License-Identifier: MIT
// The official openai SDK against Keygate. Usage: node openai-sdk.mjs BASE_URL MODE, MODE one of
// responses-stream | responses | chat | chat-stream; the key comes from $KEYGATE_KEY. The responses modes
// send store:false; with the suffix -nostore (responses-stream-nostore, responses-nostore) they leave
// store out, as a client written for the plain API does.
// Prints one JSON line {text, finalText (responses-stream: the stream helper's final response), usage};
// any error ends the process with exit code 1.
import OpenAI from "openai";

const [baseURL, modeArgument] = process.argv.slice(2);
const mode = modeArgument.replace(/-nostore$/, "");
const store = modeArgument.endsWith("-nostore") ? {} : { store: false };
const client = new OpenAI({ baseURL, apiKey: process.env.KEYGATE_KEY, maxRetries: 0, timeout: 30000 });
const input = [{ role: "user", content: "Say hello" }];
let text = "";
let usage = null;
let finalText = null;

if (mode === "responses-stream") {
    // The SDK's stream helper, as its docs show it: the events, then the final response it assembles
    // from them (it wants response.created first and takes the output of the terminal event).
    const stream = client.responses.stream({ model: "gpt-5.4", input, ...store });
    for await (const event of stream) {
        if (event.type === "response.output_text.delta") text += event.delta;
        if (event.type === "response.completed") usage = event.response.usage;
    }
    finalText = (await stream.finalResponse()).output_text;
} else if (mode === "responses") {
    const response = await client.responses.create({ model: "gpt-5.4", input, ...store });
    text = response.output_text;
    usage = response.usage;
} else if (mode === "chat") {
    const completion = await client.chat.completions.create({ model: "gpt-5.4", messages: input });
    text = completion.choices[0].message.content;
    usage = completion.usage;
} else if (mode === "chat-stream") {
    const stream = await client.chat.completions.create({
        model: "gpt-5.4", messages: input, stream: true, stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        if (chunk.usage) usage = chunk.usage;
    }
} else {
    throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify({ text, finalText, usage }));
