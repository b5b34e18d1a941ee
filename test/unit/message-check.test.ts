import { describe, expect, it } from "vitest";
import { isWellFormedMessage, messageCreated, parseBandEvent } from "../../src/realtime/events.js";

/** A message_created payload as Band's SDK tests write it, with every optional part present. */
const full = {
  id: "m1",
  content: "hi @[[a1]]",
  message_type: "text",
  sender_id: "u1",
  sender_type: "User",
  sender_name: "Ann",
  chat_room_id: "r1",
  inserted_at: "2026-12-05T00:00:00Z",
  updated_at: null,
  metadata: {
    mentions: [{ id: "a1", handle: "bot", name: null, username: "bot" }],
    delivery_status: { a1: { status: "delivered", current_attempt: 1 }, a2: null },
    extra: { kept: true },
  },
  unknown_field: 42,
};

/** Each value a field may take, good or bad: the hand check must never accept what the schema refuses. */
const values: unknown[] = [undefined, null, "", "x", 0, 1.5, 2 ** 60, true, [], {}, [{}], { id: "a" }, [{ id: 1 }], [{ id: "a", handle: 3 }], { a1: { current_attempt: 1.5 } }, { a1: { status: 5 } }, { a1: "x" }, { a1: { current_attempt: 2 ** 60 } }];
const paths: string[][] = [
  ["id"], ["content"], ["message_type"], ["sender_id"], ["sender_type"], ["sender_name"], ["chat_room_id"], ["inserted_at"], ["updated_at"],
  ["metadata"], ["metadata", "mentions"], ["metadata", "delivery_status"], ["metadata", "delivery_status", "a1"],
];

function variant(path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(full) as Record<string, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
  return copy;
}

describe("the socket's hand check of message_created", () => {
  it("gives the schema's verdict on every variant, and takes a well-formed payload as it is", () => {
    let accepted = 0;
    for (const path of paths) {
      for (const value of values) {
        const payload = variant(path, value);
        const schema = messageCreated.safeParse(payload);
        const fast = isWellFormedMessage(payload);
        // Stricter is allowed (the schema then decides); looser never.
        if (fast) expect(schema.success, `${path.join(".")} = ${JSON.stringify(value)}`).toBe(true);
        if (fast) accepted++;
        // Whichever path decides, the event is the same.
        const event = parseBandEvent("room", "r1", "message_created", payload);
        expect(event.ok).toBe(schema.success);
        if (event.ok && schema.success) expect(event.event).toEqual({ type: "message_created", roomId: "r1", message: schema.data });
      }
    }
    expect(accepted).toBeGreaterThan(40);
    expect(isWellFormedMessage(full)).toBe(true);
    for (const bad of [null, [], "m", 1, { ...full, id: "" }]) expect(isWellFormedMessage(bad)).toBe(false);
  });
});
