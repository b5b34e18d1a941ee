import { describe, expect, it } from "vitest";
import { Inbox } from "../../src/inbox/inbox.js";
import type { InboxMessage } from "../../src/inbox/live.js";

const msg = (id: string, chat = "c1"): InboxMessage => ({
  id,
  chat_id: chat,
  sender: { id: "u1", type: "User" },
  content: `message ${id}`,
  message_type: "text",
  mentions: [],
  created_at: new Date().toISOString(),
});

describe("Inbox", () => {
  it("hands messages out in arrival order, each once", () => {
    const inbox = new Inbox(10);
    for (const id of ["a", "b", "c"]) expect(inbox.offer(msg(id))).toBe("queued");
    expect(inbox.offer(msg("b"))).toBe("duplicate");
    expect(inbox.take(2).map((m) => m.id)).toEqual(["a", "b"]);
    expect(inbox.take(5).map((m) => m.id)).toEqual(["c"]);
    expect(inbox.offer(msg("a"))).toBe("duplicate");
    expect(inbox.deliveredTotal).toBe(3);
  });

  it("refuses and counts arrivals beyond capacity without marking them seen", () => {
    const inbox = new Inbox(2);
    inbox.offer(msg("a"));
    inbox.offer(msg("b"));
    expect(inbox.offer(msg("c"))).toBe("full");
    expect(inbox.dropped).toBe(1);
    inbox.take(1);
    expect(inbox.offer(msg("c"))).toBe("queued");
  });

  it("keeps its own counters: a message settled while queued counts as delivered, one settled elsewhere does not", () => {
    const inbox = new Inbox(10);
    for (const id of ["a", "b", "c"]) inbox.offer(msg(id));
    expect(inbox.settleQueued("a", "c1")).toBe(true);
    expect(inbox.settleQueued("a", "c1")).toBe(false);
    expect(inbox.withdraw("b", "c1")).toBe(true);
    expect(inbox.deliveredTotal).toBe(1);
    inbox.drop();
    expect(inbox.dropped).toBe(1);
    expect(inbox.take(5).map((m) => m.id)).toEqual(["c"]);
    expect(inbox.deliveredTotal).toBe(2);
  });

  it("filters by chat and by predicate, leaving the rest queued in order", () => {
    const inbox = new Inbox(10);
    inbox.offer(msg("a", "c1"));
    inbox.offer(msg("b", "c2"));
    inbox.offer(msg("c", "c1"));
    expect(inbox.take(10, "c2").map((m) => m.id)).toEqual(["b"]);
    expect(inbox.take(10, undefined, (m) => m.id === "c").map((m) => m.id)).toEqual(["c"]);
    expect(inbox.peek().map((m) => m.id)).toEqual(["a"]);
  });

  it("serves a blocked waiter directly, and only one waiter per message", () => {
    const inbox = new Inbox(10);
    const got: string[][] = [];
    inbox.addWaiter({ max: 5, deliver: (m) => got.push(m.map((x) => `w1:${x.id}`)) });
    inbox.addWaiter({ max: 5, deliver: (m) => got.push(m.map((x) => `w2:${x.id}`)) });
    inbox.offer(msg("a"));
    expect(got).toEqual([["w1:a"]]);
    expect(inbox.pending).toBe(0);
    expect(inbox.waiting).toBe(1);
  });

  it("does not let a waiter jump ahead of queued messages of the same chat", () => {
    const inbox = new Inbox(10);
    inbox.offer(msg("a", "c1"));
    const got: string[] = [];
    inbox.addWaiter({ max: 5, chatId: "c2", deliver: (m) => got.push(...m.map((x) => x.id)) });
    inbox.offer(msg("b", "c1"));
    expect(inbox.peek().map((m) => m.id)).toEqual(["a", "b"]);
    inbox.offer(msg("c", "c2"));
    expect(got).toEqual(["c"]);
  });

  it("a removed waiter gets nothing; releaseAll frees the rest with empty lists", () => {
    const inbox = new Inbox(10);
    const seen: number[] = [];
    const remove = inbox.addWaiter({ max: 1, deliver: (m) => seen.push(m.length) });
    expect(remove()).toBe(true);
    expect(remove()).toBe(false);
    inbox.offer(msg("a"));
    inbox.addWaiter({ max: 1, chatId: "other", deliver: (m) => seen.push(m.length) });
    inbox.releaseAll();
    expect(seen).toEqual([0]);
  });

  it("requeues handed-out messages at the front", () => {
    const inbox = new Inbox(10);
    inbox.offer(msg("a"));
    inbox.offer(msg("b"));
    const [a] = inbox.take(1);
    inbox.requeue([a!]);
    expect(inbox.peek().map((m) => m.id)).toEqual(["a", "b"]);
    expect(inbox.deliveredTotal).toBe(0);
  });
});
