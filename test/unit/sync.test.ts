import { describe, expect, it } from "vitest";
import type { BandClient } from "../../src/band/http.js";
import { fetchBacklog } from "../../src/inbox/sync.js";
import type { Logger } from "../../src/log.js";

const message = (id: string) => ({ id, content: "hi", message_type: "text", sender_id: "u1", sender_type: "User", inserted_at: `2025-01-01T00:00:0${id}Z` });

/** A Band whose backlog listing answers the given pages in turn. */
function bandWith(pages: unknown[][]): BandClient {
  let page = 0;
  return {
    call: async () => {
      const data = pages[page++] ?? [];
      return { status: 200, data, metadata: { has_more: page < pages.length, next_cursor: `c${page}` } };
    },
  } as unknown as BandClient;
}

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const none = () => undefined;
  return { warnings, warn: (m: string) => void warnings.push(m), error: none, info: none, debug: none, enabled: () => true };
}

describe("fetchBacklog", () => {
  it("returns every valid message across pages and warns once per malformed one only", async () => {
    const log = recordingLog();
    const band = bandWith([[message("1"), { id: "broken" }], [message("2")]]);
    const out = await fetchBacklog(band, "room", () => true, () => 100, log);
    expect(out.messages.map((m) => m.id)).toEqual(["1", "2"]);
    expect(out.complete).toBe(true);
    // Regression: a misplaced statement once logged "skipped a malformed message" for every valid message too.
    expect(log.warnings).toEqual(["skipped a malformed message in room room's backlog"]);
  });

  it("stops paging once the inbox has no room for more new messages", async () => {
    const band = bandWith([[message("1")], [message("2")], [message("3")]]);
    const out = await fetchBacklog(band, "room", () => true, () => 1, recordingLog());
    expect(out.messages.map((m) => m.id)).toEqual(["1"]);
    // Band has more: the drain must know the room is not fully read even though the last offer may fit.
    expect(out.complete).toBe(false);
  });
});
