/** Regressions found by the fault-injection suite (test/fault), each pinned down to its smallest case. */
import { describe, expect, it } from "vitest";
import { describeStatus } from "../../src/tools/inbox/status-words.js";
import type { FakeBand } from "../fake-band/index.js";
import { call, useFakeBand, waitFor, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

async function live(): Promise<Connected> {
  const c = await connect({ BAND_LIVE: "true" });
  await waitFor(async () => (await c.app.status()).chats_joined >= 1, "joined");
  return c;
}

describe("inbox under Band faults", () => {
  it("a mark whose claim never landed claims again: success means processed on Band", async () => {
    const c = await live();
    // The claim at hand-out is refused for good (as while the agent was briefly out of the room)...
    fake.failNext(1, 404, { path: /\/processing$/ });
    const sent = fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "claim me", mentions: [fake.agent.id] });
    const waited = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(waited.structured!.messages.map((m: { id: string }) => m.id)).toEqual([sent.id]);
    await waitFor(async () => describeStatus(await c.app.status()).detail?.includes("claim(s) failed") === true, "claim failure reported");
    // ...and the first try of the mark fails in a way that is retried: the retry must not read Band's 422
    // ("no open attempt") as "the first try landed".
    fake.failNext(1, 503, { path: /\/processed$/ });
    const marked = await call(c.client, "band_mark_processed", { chat_id: fake.room.id, message_id: sent.id });
    expect(marked.isError, marked.text).toBe(false);
    expect(fake.delivery(sent.id, fake.agent.id).status).toBe("processed");
  });
});
