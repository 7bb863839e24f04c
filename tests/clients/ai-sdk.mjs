// SPDX-License-Identifier: MIT
// The Vercel AI SDK's OpenAI Responses provider against Keygate, as its docs configure it:
// createOpenAI({baseURL, apiKey}).responses(model). Usage: node ai-sdk.mjs BASE_URL MODE, MODE one of
// stream (streamText) | generate (generateText); the key comes from $KEYGATE_KEY.
// Prints one JSON line {text, usage, finishReason}; any error ends the process with exit code 1.
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";

const [baseURL, mode] = process.argv.slice(2);
const model = createOpenAI({ baseURL, apiKey: process.env.KEYGATE_KEY }).responses("gpt-5.4");
const request = { model, prompt: "Say hello", maxRetries: 0 };
let result;

if (mode === "stream") {
    // streamText reports a failed stream to onError and resolves with what it got: fail loudly instead.
    let failure = null;
    const stream = streamText({ ...request, onError: ({ error }) => { failure = error; } });
    let text = "";
    for await (const delta of stream.textStream) text += delta;
    if (failure) throw failure;
    result = { text, usage: await stream.usage, finishReason: await stream.finishReason };
} else if (mode === "generate") {
    const generated = await generateText(request);
    result = { text: generated.text, usage: generated.usage, finishReason: generated.finishReason };
} else {
    throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify(result));
