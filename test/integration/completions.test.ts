import { describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { untilJoined, useFakeBand } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

const TEMPLATES = ["band://inbox/{chat_id}", "band://chats/{chat_id}/context"];

describe("completion/complete", () => {
  it("declares the capability and completes chat ids by title on both templates and the prompts", async () => {
    const c = await connect({ BAND_LIVE: "true" });
    expect(c.client.getServerCapabilities()?.completions).toEqual({});
    const other = fake.createRoom({ title: "Design review", ownerId: fake.user.id, memberIds: [fake.agent.id] });
    await untilJoined(c.app, 2);
    for (const uri of TEMPLATES) {
      const typed = await c.client.complete({ ref: { type: "ref/resource", uri }, argument: { name: "chat_id", value: "proj" } });
      expect(typed.completion.values, uri).toEqual([fake.room.id]);
      const all = await c.client.complete({ ref: { type: "ref/resource", uri }, argument: { name: "chat_id", value: "" } });
      expect(new Set(all.completion.values)).toEqual(new Set([fake.room.id, other.id]));
      expect(all.completion.hasMore).toBe(false);
    }
    // Inside a title counts too, after the titles that start with the text.
    const inside = await c.client.complete({ ref: { type: "ref/prompt", name: "band_agent_loop" }, argument: { name: "chat_id", value: "RE" } });
    expect(inside.completion.values).toEqual([other.id]);
    const byId = await c.client.complete({ ref: { type: "ref/prompt", name: "band_ask" }, argument: { name: "chat_id", value: other.id.slice(0, 8) } });
    expect(byId.completion.values).toEqual([other.id]);
  });

  it("completes handles to the named room's participants, never the agent itself", async () => {
    const c = await connect();
    const ref = { type: "ref/prompt" as const, name: "band_ask" };
    const context = { arguments: { chat_id: fake.room.id } };
    const everyone = await c.client.complete({ ref, argument: { name: "handle", value: "" }, context });
    expect(new Set(everyone.completion.values)).toEqual(new Set([fake.user.handle, fake.peer.handle]));
    const byName = await c.client.complete({ ref, argument: { name: "handle", value: "Review" }, context });
    expect(byName.completion.values).toEqual([fake.peer.handle]);
    const withAt = await c.client.complete({ ref, argument: { name: "handle", value: "@alice" }, context });
    expect(withAt.completion.values).toEqual([fake.user.handle, fake.peer.handle]);
    const elsewhere = fake.createRoom({ title: "Elsewhere", ownerId: fake.user.id, memberIds: [fake.agent.id] });
    const empty = await c.client.complete({ ref, argument: { name: "handle", value: "" }, context: { arguments: { chat_id: elsewhere.id } } });
    expect(empty.completion.values).toEqual([fake.user.handle]);
  });

  it("offers at most 100 chats and says there are more", async () => {
    for (let i = 0; i < 130; i++) fake.createRoom({ title: `Batch ${i}`, ownerId: fake.user.id, memberIds: [fake.agent.id] });
    const c = await connect();
    const many = await c.client.complete({ ref: { type: "ref/resource", uri: TEMPLATES[0]! }, argument: { name: "chat_id", value: "batch" } });
    expect(many.completion.values).toHaveLength(100);
    expect(many.completion.hasMore).toBe(true);
    const few = await c.client.complete({ ref: { type: "ref/resource", uri: TEMPLATES[0]! }, argument: { name: "chat_id", value: "batch 12" } });
    expect(few.completion.values).toHaveLength(11);
    expect(few.completion.hasMore).toBe(false);
  });

  it("offers nothing, without an error, when Band does not answer", async () => {
    const c = await connect();
    fake.failNext(5, 503);
    const none = await c.client.complete({ ref: { type: "ref/resource", uri: TEMPLATES[1]! }, argument: { name: "chat_id", value: "" } });
    expect(none.completion.values).toEqual([]);
  });
});
