// SPDX-License-Identifier: MIT
// pi-ai's openai-codex-responses provider against Keygate, configured as clients.md §1.3 says:
// a placeholder JWT as apiKey (sent as the Bearer) and the Keygate key in an x-api-key header.
// Usage: node pi-ai.mjs BASE_URL TRANSPORT   (key in $KEYGATE_KEY; TRANSPORT sse|websocket)
// Prints one JSON line: {stopReason, text, usage, errorMessage, websocket (pi-ai's WebSocket debug
// stats: requests, websocketFailures, sseFallbacks, …)}; exit 0 only on stopReason "stop".
import { complete } from "@mariozechner/pi-ai";
import {
    closeOpenAICodexWebSocketSessions,
    getOpenAICodexWebSocketDebugStats,
} from "@mariozechner/pi-ai/openai-codex-responses";

const [baseUrl, transport = "sse"] = process.argv.slice(2);
const placeholderJwt =
    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0=." +
    "eyJodHRwczovL2FwaS5vcGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9hY2NvdW50X2lkIjoicHJveHkifX0=.sig";
const model = {
    id: "gpt-5.4",
    name: "gpt-5.4 via Keygate",
    api: "openai-codex-responses",
    provider: "keygate",
    baseUrl,
    reasoning: true,
    input: ["text"],
    cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    contextWindow: 272000,
    maxTokens: 128000,
};
const context = {
    systemPrompt: "You are a test.",
    messages: [{ role: "user", content: "Say hello", timestamp: Date.now() }],
};
const message = await complete(model, context, {
    apiKey: placeholderJwt,
    headers: { "x-api-key": process.env.KEYGATE_KEY },
    transport,
    sessionId: "keygate-client-test",
});
const websocket = getOpenAICodexWebSocketDebugStats("keygate-client-test") ?? null;
closeOpenAICodexWebSocketSessions();
const text = message.content.filter((c) => c.type === "text").map((c) => c.text).join("");
console.log(JSON.stringify({ stopReason: message.stopReason, text, usage: message.usage, errorMessage: message.errorMessage, websocket }));
process.exit(message.stopReason === "stop" ? 0 : 1);
