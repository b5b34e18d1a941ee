import { describe, expect, it } from "vitest";
import { Inbox, sizeOf } from "../../src/inbox/inbox.js";
import type { InboxMessage } from "../../src/inbox/live.js";

const msg = (id: string, chat = "c1", content = `message ${id}`): InboxMessage => ({
  id,
  chat_id: chat,
  sender: { id: "u1", type: "User" },
  content,
  message_type: "text",
  mentions: [],
  created_at: "",
});

const waitFor = (inbox: Inbox, signal: AbortSignal, options: { chatId?: string; timeoutMs?: number } = {}) =>
  inbox.wait({ timeoutMs: options.timeoutMs ?? 5_000, max: 10, signal, ...(options.chatId ? { chatId: options.chatId } : {}) });

describe("Inbox bounds, waits, holds and push sinks", () => {
  it("overflows by bytes exactly as by count: refused, counted, not marked seen", () => {
    const big = "x".repeat(1_000);
    const inbox = new Inbox({ capacity: 100, maxBytes: 2 * sizeOf(msg("a", "c1", big)) });
    expect(inbox.offer(msg("a", "c1", big))).toBe("queued");
    expect(inbox.offer(msg("b", "c1", big))).toBe("queued");
    expect(inbox.offer(msg("c", "c1", big))).toBe("full");
    expect(inbox.dropped).toBe(1);
    expect(inbox.hasSeen("c")).toBe(false);
    expect(inbox.hasRoom()).toBe(false);
    inbox.take(2);
    expect(inbox.bytes).toBe(0);
    expect(inbox.hasRoom()).toBe(true);
    expect(inbox.offer(msg("c", "c1", big))).toBe("queued");
  });

  it("an empty inbox takes one message larger than its byte bound, so nothing can be stuck forever", () => {
    const inbox = new Inbox({ capacity: 10, maxBytes: 100 });
    expect(inbox.offer(msg("huge", "c1", "y".repeat(10_000)))).toBe("queued");
  });

  it("an aborted wait ends empty; messages handed out in that instant go back in front, in order", async () => {
    const inbox = new Inbox(10);
    const controller = new AbortController();
    // The hand-out and the abort race: the waiter is delivered to after its signal aborted.
    const pending = inbox.wait({
      timeoutMs: 5_000,
      max: 10,
      signal: controller.signal,
      accept: () => {
        controller.abort();
        return true;
      },
    });
    inbox.offer(msg("a"));
    expect(await pending).toEqual({ messages: [], timed_out: false });
    inbox.offer(msg("b"));
    const next = await waitFor(inbox, new AbortController().signal);
    expect(next.messages.map((m) => m.id)).toEqual(["a", "b"]);
    expect(inbox.deliveredTotal).toBe(2);
  });

  it("an abort before anything arrives leaves the next message to the next waiter", async () => {
    const inbox = new Inbox(10);
    const controller = new AbortController();
    const abandoned = waitFor(inbox, controller.signal);
    controller.abort();
    expect(await abandoned).toEqual({ messages: [], timed_out: false });
    const next = waitFor(inbox, new AbortController().signal);
    inbox.offer(msg("a"));
    expect((await next).messages.map((m) => m.id)).toEqual(["a"]);
  });

  it("holds a chat (or everything): queued, not handed out, until released", async () => {
    const inbox = new Inbox(10);
    inbox.hold("c1");
    const waiting = waitFor(inbox, new AbortController().signal);
    inbox.offer(msg("a", "c1"));
    inbox.offer(msg("b", "c2"));
    expect((await waiting).messages.map((m) => m.id)).toEqual(["b"]);
    expect(inbox.take(10).map((m) => m.id)).toEqual([]);
    inbox.release("c1");
    expect(inbox.take(10).map((m) => m.id)).toEqual(["a"]);
    inbox.hold();
    inbox.offer(msg("c", "c2"));
    expect(inbox.take(10)).toEqual([]);
    inbox.release();
    expect(inbox.take(10).map((m) => m.id)).toEqual(["c"]);
  });

  it("interrupts the waits of one chat, or all, with an empty result that says so", async () => {
    const inbox = new Inbox(10);
    const signal = new AbortController().signal;
    const onChat = waitFor(inbox, signal, { chatId: "c1" });
    const general = waitFor(inbox, signal, { timeoutMs: 50 });
    expect(inbox.interrupt("c1")).toBe(1);
    expect(await onChat).toEqual({ messages: [], timed_out: false, interrupted: true });
    expect(await general).toEqual({ messages: [], timed_out: true });
  });

  it("a push sink gets what no blocked wait takes, as it arrives; waits get first pick", async () => {
    const inbox = new Inbox(10);
    inbox.offer(msg("queued-before"));
    const pushed: string[] = [];
    inbox.setSink((messages) => pushed.push(...messages.map((m) => m.id)));
    expect(pushed).toEqual(["queued-before"]);
    const waiting = waitFor(inbox, new AbortController().signal);
    inbox.offer(msg("to-the-wait"));
    inbox.offer(msg("to-the-sink"));
    expect((await waiting).messages.map((m) => m.id)).toEqual(["to-the-wait"]);
    expect(pushed).toEqual(["queued-before", "to-the-sink"]);
    expect(inbox.pending).toBe(0);
    expect(inbox.deliveredTotal).toBe(3);
  });

  it("withdraws a queued message settled elsewhere, and records Band's attempt number", () => {
    const inbox = new Inbox(10);
    inbox.offer(msg("a"));
    inbox.offer(msg("b"));
    inbox.annotate("b", 3);
    expect(inbox.withdraw("a", "c1")).toBe(true);
    expect(inbox.withdraw("a", "c1")).toBe(false);
    expect(inbox.withdraw("b", "other-chat")).toBe(false);
    expect(inbox.peek()).toEqual([expect.objectContaining({ id: "b", attempt: 3 })]);
  });
});
