import { describe, expect, it } from "vitest";
import { BandApiError } from "../../src/band/http.js";
import { ToolError } from "../../src/tools/define.js";
import type { ToolDefinition } from "../../src/tools/define.js";
import { describeFailure } from "../../src/tools/errors.js";

const tool = (toolset: ToolDefinition["toolset"] = "messages") =>
  ({ name: "band_send_message", toolset, idSources: { chat_id: "band_list_chats" } }) as unknown as ToolDefinition;
const fail = (status: number, code?: string, extra: Partial<{ retries: number; retryAfter: number; message: string; details: Record<string, unknown> }> = {}) =>
  new BandApiError("createAgentChatMessage", status, code, extra.message, "req-1", extra.details, extra.retries ?? 0, extra.retryAfter);
const describe_ = (error: unknown, toolset?: ToolDefinition["toolset"], params: Record<string, unknown> = { chat_id: "c-9" }) =>
  describeFailure(error, tool(toolset), params, { keyVariable: "BAND_API_KEY" });

describe("describeFailure", () => {
  it("names the key variable on 401 and 403", () => {
    expect(describe_(fail(401))).toMatch(/Set BAND_API_KEY/);
    expect(describe_(fail(403, "forbidden"))).toMatch(/BAND_API_KEY/);
  });

  it("says which id was not found and which tool lists valid ones", () => {
    expect(describe_(fail(404))).toMatch(/chat_id "c-9" \(find valid ones with band_list_chats\)/);
  });

  it("explains each 422 code, with the participant tools of the tool's side", () => {
    expect(describe_(fail(422, "mentions_required"))).toMatch(/at least one.*band_list_participants/);
    expect(describe_(fail(422, "mentioned_participant_not_in_room"), "human")).toMatch(/band_me_add_participant.*band_me_list_participants/);
    expect(describe_(fail(422, "cannot_mention_self"))).toMatch(/cannot mention itself/);
    expect(describe_(fail(422, "validation_error", { details: { "/message/content": ["can't be blank"] } }))).toMatch(/\/message\/content: can't be blank/);
  });

  it("says the retry happened on 429 and 5xx, and how long to wait", () => {
    expect(describe_(fail(429, undefined, { retries: 2, retryAfter: 7 }))).toMatch(/retried 2 times.*Wait 7 s/);
    expect(describe_(fail(503, undefined, { retries: 3 }))).toMatch(/server error \(503\).*retried 3 times/);
  });

  it("explains an unreachable Band, passes ToolErrors through, and includes the request id", () => {
    expect(describe_(new BandApiError("getAgentMe", 0, "ECONNREFUSED", "connection refused", undefined, undefined, 3))).toMatch(/Could not reach Band.*BAND_BASE_URL/);
    expect(describe_(new ToolError("exactly this"))).toBe("exactly this");
    expect(describe_(fail(500))).toMatch(/request id req-1/);
  });
});
