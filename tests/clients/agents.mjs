// SPDX-License-Identifier: MIT
// The OpenAI Agents SDK against Keygate: one agent turn, run(agent, "Say hello"), over the Responses API
// with an openai client whose baseURL is Keygate. Usage: node agents.mjs BASE_URL TRANSPORT, TRANSPORT
// http | websocket (the SDK's Responses WebSocket transport; Node 20 needs --experimental-websocket).
// maxTurns 1: a reply without a final message fails at once. The key comes from $KEYGATE_KEY.
// Prints one JSON line {text, usage (one per model response), websocketCreates}; any error exits 1.
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled, withResponsesWebSocketSession } from "@openai/agents";
import OpenAI from "openai";

const [baseURL, transport] = process.argv.slice(2);
setTracingDisabled(true); // traces would go to api.openai.com with the Keygate key
const client = new OpenAI({ baseURL, apiKey: process.env.KEYGATE_KEY, maxRetries: 0, timeout: 30000 });
const agent = new Agent({ name: "Greeter", instructions: "You are a test.", model: "gpt-5.4" });
let result;
let websocketCreates = 0; // response.create messages the SDK sent on its WebSocket

if (transport === "http") {
    setDefaultOpenAIClient(client);
    result = await run(agent, "Say hello", { maxTurns: 1 });
} else if (transport === "websocket") {
    // A session-scoped provider with useResponsesWebSocket: the turn goes as a response.create message
    // on ws://…/responses, and the provider closes the socket afterwards. The SDK takes the global
    // WebSocket when it connects: count what it sends there.
    const NativeWebSocket = globalThis.WebSocket;
    globalThis.WebSocket = class extends NativeWebSocket {
        send(data) {
            if (typeof data === "string" && JSON.parse(data).type === "response.create") websocketCreates++;
            return super.send(data);
        }
    };
    result = await withResponsesWebSocketSession(
        (session) => session.run(agent, "Say hello", { maxTurns: 1 }),
        { providerOptions: { openAIClient: client } },
    );
} else {
    throw new Error(`unknown transport ${transport}`);
}
const usage = result.rawResponses.map((response) => response.usage);
console.log(JSON.stringify({ text: result.finalOutput, usage, websocketCreates }));
