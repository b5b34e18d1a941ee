/** Two servers with one key (docs/delivery.md guarantee 5): one serves, the other stands by and takes over, never superseding. */
import { describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { call, untilJoined, useFakeBand, waitFor, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

const post = (text: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });
const connection = async (c: Connected) => (await c.app.status()).connection;

/** Waits and marks until `count` messages came (or a wait times out); returns their ids in order. */
async function drain(c: Connected, count: number): Promise<string[]> {
  const got: string[] = [];
  while (got.length < count) {
    const result = await call(c.client, "band_wait_for_message", { timeout_seconds: 1.5, max_messages: 50 });
    expect(result.isError, result.text).toBe(false);
    if (result.structured!.timed_out) break;
    for (const m of result.structured!.messages as { id: string; chat_id: string }[]) {
      got.push(m.id);
      await call(c.client, "band_mark_processed", { chat_id: m.chat_id, message_id: m.id });
    }
  }
  return got;
}

describe("standby pair", () => {
  it("the second stands by and says so; once the first is gone it takes over and delivers what was posted meanwhile, once", async () => {
    const first = await connect({ BAND_LIVE: "true" });
    await untilJoined(first.app);
    const second = await connect({ BAND_LIVE: "true", BAND_STANDBY_SECONDS: "1" });
    await waitFor(async () => (await connection(second)) === "conflict", "second stands by");
    const refused = await call(second.client, "band_wait_for_message", { timeout_seconds: 1 });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/Standing by: this server takes the connection over by itself/);
    // Standing by for a while: the holder keeps its socket and serves.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await connection(first)).toBe("connected");
    expect((await second.app.status()).standby!.attempts).toBeGreaterThan(1);
    const early = post("to the first");
    expect(await drain(first, 1)).toEqual([early.id]);

    await first.close();
    const gone = Date.now();
    const meanwhile = [post("meanwhile 1"), post("meanwhile 2"), post("meanwhile 3")];
    await waitFor(async () => (await connection(second)) === "connected", "second took over", 3_000);
    expect(Date.now() - gone).toBeLessThan(1_500);
    expect(await drain(second, 4)).toEqual(meanwhile.map((m) => m.id));
    // The holder was never pushed out: every upgrade asked to be refused, and no supersede was ever sent.
    expect(new Set(fake.socket.upgrades.map((u) => u.query.on_conflict))).toEqual(new Set(["reject"]));
    expect(fake.socket.frames.some((f) => Array.isArray(f.frame) && f.frame[3] === "supersede")).toBe(false);
  });
});
