/** The loop guard (docs/delivery.md guarantee 12): two agents answering each other are stopped, and nothing is lost. */
import { afterEach, describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { call, untilJoined, useFakeBand, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));
const timers: NodeJS.Timeout[] = [];
afterEach(() => timers.splice(0).forEach(clearInterval));

/** The peer agent, scripted: it answers every message our agent posts in the room, mentioning it back. */
function pingPongPeer(): void {
  let seen = fake.messages(fake.room.id).length;
  timers.push(
    setInterval(() => {
      const fresh = fake.messages(fake.room.id).slice(seen);
      seen += fresh.length;
      for (const m of fresh) if (m.sender_id === fake.agent.id) fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: `re: ${m.content}`, mentions: [fake.agent.id] });
    }, 5),
  );
}

/** Our agent, scripted: answers every message with a mention of the peer, until a wait comes back empty. */
async function answerAll(c: Connected): Promise<string[]> {
  const handled: string[] = [];
  for (;;) {
    const result = await call(c.client, "band_wait_for_message", { timeout_seconds: 1 });
    if (result.structured!.timed_out) return handled;
    for (const m of result.structured!.messages as { id: string }[]) {
      handled.push(m.id);
      const sent = await call(c.client, "band_send_message", { chat_id: fake.room.id, content: `answer ${handled.length}`, mentions: ["alice/reviewer"], reply_to_message_id: m.id });
      expect(sent.isError, sent.text).toBe(false);
    }
  }
}

/** Waits until `count` messages came (or a wait times out); their ids in order, nothing marked. */
async function collect(c: Connected, count: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const result = await call(c.client, "band_wait_for_message", { timeout_seconds: 2, max_messages: 50 });
    if (result.structured!.timed_out) break;
    ids.push(...(result.structured!.messages as { id: string }[]).map((m) => m.id));
  }
  return ids;
}

const fromPeer = () => fake.messages(fake.room.id).filter((m) => m.sender_id === fake.peer.id);

describe("loop guard", () => {
  for (const release of ["a person's message", "agent.control play"] as const) {
    it(`holds a ping-pong room after BAND_LOOP_LIMIT agent messages; ${release} releases the held ones in order`, async () => {
      const c = await connect({ BAND_LIVE: "true", BAND_LOOP_LIMIT: "4" });
      await untilJoined(c.app);
      pingPongPeer();
      fake.postMessage(fake.room.id, { senderId: fake.peer.id, content: "ping", mentions: [fake.agent.id] });
      const handled = await answerAll(c);
      expect(handled).toEqual(fromPeer().slice(0, 4).map((m) => m.id));
      const held = fromPeer()[4]!;
      expect(fromPeer()).toHaveLength(5);
      // Held, not lost: queued here, unclaimed on Band, and band_status names the room and why.
      expect(fake.delivery(held.id, fake.agent.id).status).toBe("none");
      const status = await call(c.client, "band_status");
      expect(status.structured!.loop_guard).toEqual([{ chat_id: fake.room.id, agent_messages_in_a_row: 5, held: 1 }]);
      expect(status.structured!.detail).toContain(`chat ${fake.room.id} is held by the loop guard`);

      clearInterval(timers.pop());
      const person = release === "a person's message" ? fake.postMessage(fake.room.id, { senderId: fake.user.id, content: "enough, you two", mentions: [fake.agent.id] }) : undefined;
      if (!person) fake.socket.push(fake.agent.id, `agent_control:${fake.agent.id}`, "agent.control", { mode: "play", scope: "agent", agent_id: fake.agent.id, room_id: fake.room.id });
      const expected = [held.id, ...(person ? [person.id] : [])];
      expect(await collect(c, expected.length)).toEqual(expected);
      expect((await call(c.client, "band_status")).structured!.loop_guard).toBeUndefined();
    });
  }

  it("a person's message between agent messages keeps the room open; BAND_LOOP_LIMIT=0 never holds", async () => {
    const c = await connect({ BAND_LIVE: "true", BAND_LOOP_LIMIT: "2" });
    await untilJoined(c.app);
    const say = (senderId: string, text: string) => fake.postMessage(fake.room.id, { senderId, content: text, mentions: [fake.agent.id] });
    const sent = [say(fake.peer.id, "a1"), say(fake.peer.id, "a2"), say(fake.user.id, "p1"), say(fake.peer.id, "a3"), say(fake.peer.id, "a4")];
    expect(await collect(c, sent.length)).toEqual(sent.map((m) => m.id));

    const off = await connect({ BAND_LIVE: "true", BAND_LOOP_LIMIT: "0", BAND_API_KEY: fake.peer.key });
    await untilJoined(off.app);
    const many = Array.from({ length: 30 }, (_, i) => fake.postMessage(fake.room.id, { senderId: fake.agent.id, content: `m${i}`, mentions: [fake.peer.id] }));
    expect(await collect(off, many.length)).toEqual(many.map((m) => m.id));
  });
});
