import { describe, expect, it } from "vitest";
import { BandApiError } from "../../src/band/http.js";
import { MentionError } from "../../src/band/mentions.js";
import { InvalidPathValueError } from "../../src/band/paths.js";
import { restFailure } from "../../src/hub/errors.js";
import type { ToolDefinition } from "../../src/tools/define.js";
import { describeFailure } from "../../src/tools/errors.js";

/** The same failures, worded for a model (tools/errors.ts) and for an HTTP caller (hub/errors.ts). */
const sendTool = { name: "band_send_message", toolset: "messages", idSources: { chat_id: "band_list_chats" } } as unknown as ToolDefinition;
const forModel = (error: unknown) => describeFailure(error, sendTool, { chat_id: "c-9" }, { keyVariable: "BAND_API_KEY" });
const forHttp = (error: unknown, send = true) => {
  const reply = restFailure(error, { send, keyVariable: "BAND_API_KEY", redact: (t) => t.replaceAll("s3cret-key", "[redacted]") });
  return { status: reply.status, ...(reply.body as { error: { code: string; message: string; maybe_sent?: boolean } }).error };
};
const send = (status: number, code?: string, message?: string) => new BandApiError("createAgentChatMessage", status, code, message, "req-1", undefined, 0);

describe("may a failed send have landed: one rule for the model and for HTTP callers", () => {
  const cases: [string, BandApiError, boolean][] = [
    ["no answer (timeout, reset)", send(0, "UND_ERR_HEADERS_TIMEOUT", "timed out"), true],
    ["connection refused: never sent", send(0, "ECONNREFUSED", "connection refused"), false],
    ["a server error", send(502), true],
    ["an unreadable answer (a proxy's page)", send(200, "not_json", "answered HTTP 200 with text/html"), true],
    ["an answer too large to read", send(200, "response_too_large", "too large"), true],
    ["a refusal", send(422, "mentions_required"), false],
    ["rate limited before any work", send(429), false],
    ["a read", new BandApiError("listAgentChats", 0, "UND_ERR_SOCKET", "reset", undefined, undefined, 0), false],
  ];
  it.each(cases)("%s", (_name, error, landed) => {
    expect(error.mayHaveLanded).toBe(landed);
    expect(/may have been carried out/.test(forModel(error))).toBe(landed);
    const http = forHttp(error);
    expect(http.maybe_sent).toBe(landed);
    expect(http.message).toMatch(landed ? /may have carried out the send/ : /Nothing was sent/);
  });
});

describe("hub/errors.ts words failures for HTTP callers", () => {
  it("names no tool, and keeps the status a caller branches on", () => {
    const notFound = forHttp(send(404, "not_found", "no such chat"));
    expect(notFound).toMatchObject({ status: 404, code: "not_found", maybe_sent: false });
    expect(notFound.message).not.toMatch(/band_\w+/);
    const rejected = forHttp(send(401));
    expect(rejected).toMatchObject({ status: 503, code: "unauthorized" });
    expect(rejected.message).toMatch(/BAND_API_KEY/);
    const mention = forHttp(new MentionError(['"@nobody" is not in this room'], ["@alice (Alice)"]));
    expect(mention).toMatchObject({ status: 400, code: "unresolved_mention", maybe_sent: false });
    expect(mention.message).toMatch(/not in this room.*@alice/);
    expect(mention.message).not.toMatch(/band_\w+/);
  });

  it("masks secrets Band echoes, and reads carry no maybe_sent", () => {
    const echoed = forHttp(new BandApiError("listAgentChats", 403, "forbidden", "key s3cret-key refused", undefined, undefined, 0), false);
    expect(echoed.message).not.toContain("s3cret-key");
    expect(echoed).not.toHaveProperty("maybe_sent");
  });
});

describe("an id no Band object can have", () => {
  it("is a typed fact from the band layer, worded by each front end", () => {
    const error = new InvalidPathValueError("chat_id", "..");
    expect(forModel(error)).toMatch(/"\.\." is not a valid chat_id: Band ids look like .* Nothing was sent/);
    expect(forHttp(error)).toMatchObject({ status: 400, code: "bad_request", maybe_sent: false });
  });
});
