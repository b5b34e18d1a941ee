import { ResourceListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import type { FakeBand } from "../fake-band/index.js";
import { untilJoined, useFakeBand, waitFor, type Connected } from "../helpers/harness.js";

let fake: FakeBand;
const connect = useFakeBand((started) => (fake = started));

/** A client that records every resources/list_changed it is sent after initializing. */
async function recording(): Promise<{ c: Connected; notices: number[] }> {
  const c = await connect({ BAND_LIVE: "true" });
  const notices: number[] = [];
  c.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void notices.push(Date.now()));
  await untilJoined(c.app);
  return { c, notices };
}

const newRoom = (title: string) => fake.createRoom({ title, ownerId: fake.user.id, memberIds: [fake.agent.id] });
const joined = (room: { id: string }) => waitFor(() => fake.socket.isJoined(fake.agent.id, `chat_room:${room.id}`), `joined ${room.id}`);
/** Long enough for a notice to cross the in-memory transport (they arrive within milliseconds when sent). */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe("resources/list_changed", () => {
  it("is not sent to a client that has not listed resources, however the rooms change", async () => {
    const { notices } = await recording();
    await joined(newRoom("Joined before any listing"));
    fake.deleteRoom(fake.room.id);
    await waitFor(() => !fake.socket.isJoined(fake.agent.id, `chat_room:${fake.room.id}`), "left the deleted room");
    await settle();
    expect(notices).toEqual([]);
  });

  it("is sent once when the list the client read changes, then again only after it reads it again", async () => {
    const { c, notices } = await recording();
    const first = await c.client.listResources();
    expect(first.resources.map((r) => r.uri)).toContain(`band://inbox/${fake.room.id}`);
    await joined(newRoom("Second"));
    await waitFor(() => notices.length === 1, "one notice for the new room");
    await joined(newRoom("Third"));
    await settle();
    expect(notices, "the client has not read the list since it was told").toHaveLength(1);

    const second = await c.client.listResources();
    expect(second.resources.filter((r) => r.uri.startsWith("band://inbox/"))).toHaveLength(3);
    fake.deleteRoom(fake.room.id);
    await waitFor(() => notices.length === 2, "a notice for the deleted room");
  });
});
