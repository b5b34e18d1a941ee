import { describe, expect, it } from "vitest";
import { Inbox } from "../../src/inbox/inbox.js";
import type { InboxMessage } from "../../src/inbox/live.js";

const msg = (id: string, chat = "c1"): InboxMessage => ({ id, chat_id: chat, sender: { id: "u1", type: "User" }, content: id, message_type: "text", mentions: [], created_at: "" });

/** The per-chat bookkeeping behind offer()'s "is anything of this chat queued ahead?" (no scan of the queue). */
describe("Inbox per-chat bookkeeping", () => {
  it("a chat emptied by any kind of take lets its next message go straight to a waiter; one still queued does not", () => {
    const inbox = new Inbox(10);
    const got: string[] = [];
    const waitOnce = () => inbox.addWaiter({ max: 5, deliver: (m) => got.push(...m.map((x) => x.id)) });
    for (const id of ["a", "b", "c"]) inbox.offer(msg(id));
    inbox.take(1); // from the front
    inbox.take(1, "c1"); // by chat
    inbox.take(1, undefined, (m) => m.id === "c"); // by filter
    waitOnce();
    inbox.offer(msg("d"));
    expect(got).toEqual(["d"]);

    inbox.offer(msg("e"));
    const [e] = inbox.take(1);
    inbox.offer(msg("f", "c2"));
    inbox.requeue([e!]); // c1 has a message queued again
    inbox.take(1, "c2");
    waitOnce();
    // g must not overtake the requeued e of its chat: the waiter gets both, in order.
    inbox.offer(msg("g"));
    expect(got).toEqual(["d", "e", "g"]);
    expect(inbox.pending).toBe(0);
  });

  it("keeps the dedupe set bounded on the hand-out path too", () => {
    const inbox = new Inbox(10);
    // Every message goes straight to a blocked waiter: the path a live agent takes most of the time.
    for (let i = 0; i <= 200_000; i++) {
      inbox.addWaiter({ max: 1, deliver: () => undefined });
      inbox.offer(msg(`m${i}`));
    }
    expect(inbox.hasSeen("m200000")).toBe(true);
    expect(inbox.hasSeen("m0")).toBe(false);
  });
});
