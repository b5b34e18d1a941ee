/** Idle resync (docs/delivery.md guarantee 11): what no push brought is found while connected, at a bounded cost. */
import { describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { call, untilJoined, useFakeBand, waitFor } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

const post = (text: string, roomId = fake.room.id) => fake.postMessage(roomId, { senderId: fake.user.id, content: text, mentions: [fake.agent.id] });
const listings = () => fake.requests.filter((r) => r.path.endsWith("/messages") && r.method === "GET").length;

describe("idle resync", () => {
  it("delivers a message Band stored but never pushed within the interval, without a reconnect", async () => {
    const c = await connect({ BAND_LIVE: "true", BAND_RESYNC_SECONDS: "1" });
    await untilJoined(c.app);
    // The join's own drain is over: from here only a resync can find what no push brings.
    await waitFor(() => listings() >= 1, "first drain");
    await new Promise((r) => setTimeout(r, 200));
    fake.socket.dropPushes((_agent, _topic, event) => event === "message_created");
    const lost = post("a frame Band never sent");
    const started = Date.now();
    const got = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    expect(got.structured!.messages.map((m: { id: string }) => m.id)).toEqual([lost.id]);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(fake.socket.droppedPushes).toBe(1);
    expect((await c.app.status()).reconnects).toBe(0);
  });

  it("with BAND_RESYNC_SECONDS=0 it never re-reads on its own", async () => {
    const c = await connect({ BAND_LIVE: "true", BAND_RESYNC_SECONDS: "0" });
    await untilJoined(c.app);
    await waitFor(() => listings() >= 1, "first drain");
    const before = listings();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(listings()).toBe(before);
  });

  it("in 500 quiet rooms, stays within one request per second, and makes none while pushes flow", async () => {
    for (let i = 0; i < 499; i++) fake.createRoom({ ownerId: fake.user.id, memberIds: [fake.agent.id] });
    const c = await connect({ BAND_LIVE: "true", BAND_RESYNC_SECONDS: "2" });
    await untilJoined(c.app, 500);
    // Every room's join drain is over: its backlog and then its participants listed. Not "the log was still for
    // a second": under load the drains' tail ran into the first resync, and the log was never still.
    const roomsListed = (what: string) => new Set(fake.requests.filter((r) => r.method === "GET" && r.path.endsWith(what)).map((r) => r.path.split("/").at(-2))).size;
    await waitFor(() => roomsListed("/messages") === 500 && roomsListed("/participants") === 500, "every room's join drain", 30_000);
    const quietFrom = fake.requests.length;
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 5_000));
    const quiet = fake.requests.slice(quietFrom);
    const seconds = (Date.now() - started) / 1000;
    // At most one room per second, one request each: at most one more than the seconds waited.
    expect(quiet.length).toBeGreaterThanOrEqual(2);
    expect(quiet.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(quiet.every((r) => r.method === "GET" && r.path.endsWith("/messages"))).toBe(true);

    // Pushes every 300 ms: the idle clock never runs out, so no sweep runs.
    const busyFrom = fake.requests.length;
    for (let i = 0; i < 10; i++) {
      post(`busy ${i}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const busy = fake.requests.slice(busyFrom).filter((r) => r.method === "GET" && r.path.endsWith("/messages"));
    expect(busy).toEqual([]);
  }, 60_000);
});
