/** The visibility timeout (docs/delivery.md guarantee 13): nothing stays in flight forever, unless the agent works on it. */
import { describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { call, untilJoined, useFakeBand, waitFor, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

const post = (text: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });
const wait = async (c: Connected, seconds: number) => (await call(c.client, "band_wait_for_message", { timeout_seconds: seconds })).structured!;
const mark = (c: Connected, id: string) => call(c.client, "band_mark_processed", { chat_id: fake.room.id, message_id: id });

/** Connected with a 1 s visibility timeout, and one message handed out. */
async function handedOut(text: string): Promise<{ c: Connected; id: string }> {
  const c = await connect({ BAND_LIVE: "true", BAND_CLAIM_TIMEOUT_SECONDS: "1" });
  await untilJoined(c.app);
  const sent = post(text);
  expect((await wait(c, 5)).messages).toEqual([expect.objectContaining({ id: sent.id })]);
  return { c, id: sent.id };
}

describe("claim timeout", () => {
  it("hands an unsettled message out again after BAND_CLAIM_TIMEOUT_SECONDS, as a redelivery claimed anew", async () => {
    const c = await connect({ BAND_LIVE: "true", BAND_CLAIM_TIMEOUT_SECONDS: "1" });
    await untilJoined(c.app);
    const sent = post("answer me, or I come back");
    const first = await wait(c, 5);
    expect(first.messages).toEqual([expect.objectContaining({ id: sent.id })]);
    const handedOut = Date.now();
    const again = await wait(c, 5);
    expect(Date.now() - handedOut).toBeGreaterThanOrEqual(900);
    expect(again.messages).toEqual([expect.objectContaining({ id: sent.id, attempt: (first.messages[0].attempt ?? 1) + 1 })]);
    await waitFor(() => fake.delivery(sent.id, fake.agent.id).attempts.length === 2, "claimed again on Band");
    expect((await c.app.status()).inbox.in_flight).toBe(1);
    expect((await call(c.client, "band_mark_processed", { chat_id: fake.room.id, message_id: sent.id })).isError).toBe(false);
    expect((await wait(c, 1.5)).messages).toEqual([]);
  });

  it("the agent's activity in the chat (a message, an event, an activity report) restarts the clock", async () => {
    const c = await connect({ BAND_LIVE: "true", BAND_CLAIM_TIMEOUT_SECONDS: "1" });
    await untilJoined(c.app);
    const sent = post("a long task");
    await wait(c, 5);
    const other = fake.createRoom({ ownerId: fake.user.id, memberIds: [fake.agent.id] });
    const actions: [string, Record<string, unknown>][] = [
      ["band_report_activity", { chat_id: fake.room.id, working: true }],
      ["band_send_event", { chat_id: fake.room.id, message_type: "thought", content: "still on it" }],
      ["band_send_message", { chat_id: fake.room.id, content: "halfway there", mentions: ["alice"] }],
    ];
    for (const [tool, args] of [...actions, ...actions]) {
      await new Promise((r) => setTimeout(r, 400));
      const result = await call(c.client, tool, args);
      expect(result.isError, `${tool}: ${result.text}`).toBe(false);
    }
    // Work in another chat does not count for this one.
    expect((await call(c.client, "band_send_message", { chat_id: other.id, content: "elsewhere", mentions: ["alice"] })).isError).toBe(false);
    expect((await c.app.status()).inbox).toMatchObject({ pending: 0, in_flight: 1 });
    const back = await wait(c, 5);
    expect(back.messages).toEqual([expect.objectContaining({ id: sent.id, attempt: 2 })]);
  });

  it("a mark that gets no final answer from Band keeps its message in flight: the model may mark again, or it comes back after the timeout", async () => {
    const { c, id } = await handedOut("mark me, if Band lets you");
    // Every attempt of one mark (the test client retries twice).
    fake.failNext(3, 503, { path: /\/processed$/ });
    expect((await mark(c, id)).isError).toBe(true);
    expect((await c.app.status()).inbox.in_flight).toBe(1);
    expect((await wait(c, 5)).messages).toEqual([expect.objectContaining({ id, attempt: 2 })]);
    expect((await mark(c, id)).isError).toBe(false);
    expect(fake.delivery(id, fake.agent.id).status).toBe("processed");
    expect((await c.app.status()).inbox.in_flight).toBe(0);
  });

  it("a mark Band refuses for good (a 4xx) ends the hand-out, as a successful one does", async () => {
    const { c, id } = await handedOut("gone before it is marked");
    fake.failNext(1, 404, { path: /\/processed$/ });
    expect((await mark(c, id)).isError).toBe(true);
    expect((await c.app.status()).inbox.in_flight).toBe(0);
    expect((await wait(c, 1.5)).messages).toEqual([]);
  });
});

