import { describe, expect, it } from "vitest";
import { Inbox } from "../../src/inbox/inbox.js";
import type { InboxMessage } from "../../src/inbox/live.js";

const msg = (id: string, sender: string, chat = "c1"): InboxMessage => ({
  id,
  chat_id: chat,
  sender: { id: sender, type: "Agent" },
  content: `message ${id}`,
  message_type: "text",
  mentions: [],
  created_at: new Date().toISOString(),
});

/** Send-and-wait's reply filter must win over a general wait registered earlier (another session's, say). */
describe("Inbox waiters with an accept filter", () => {
  it("get the message they accept even when a general waiter has waited longer", () => {
    const inbox = new Inbox(10);
    const general: string[] = [];
    const specific: string[] = [];
    inbox.addWaiter({ max: 10, deliver: (m) => general.push(...m.map((x) => x.id)) });
    inbox.addWaiter({ max: 1, chatId: "c1", accept: (m) => m.sender.id === "peer", deliver: (m) => specific.push(...m.map((x) => x.id)) });
    inbox.offer(msg("reply", "peer"));
    expect(specific).toEqual(["reply"]);
    expect(general).toEqual([]);
    inbox.offer(msg("other", "someone"));
    expect(general).toEqual(["other"]);
  });

  it("take their message past queued ones of the same chat, which stay for the general waiter", () => {
    const inbox = new Inbox(10);
    inbox.offer(msg("first", "someone"));
    const specific: string[] = [];
    inbox.addWaiter({ max: 1, chatId: "c1", accept: (m) => m.sender.id === "peer", deliver: (m) => specific.push(...m.map((x) => x.id)) });
    inbox.offer(msg("reply", "peer"));
    expect(specific).toEqual(["reply"]);
    expect(inbox.peek().map((m) => m.id)).toEqual(["first"]);
  });

  it("are served first from a requeue too", () => {
    const inbox = new Inbox(10);
    inbox.offer(msg("reply", "peer"));
    const [taken] = inbox.take(1);
    const general: string[] = [];
    const specific: string[] = [];
    inbox.addWaiter({ max: 10, deliver: (m) => general.push(...m.map((x) => x.id)) });
    inbox.addWaiter({ max: 1, accept: (m) => m.sender.id === "peer", deliver: (m) => specific.push(...m.map((x) => x.id)) });
    inbox.requeue([taken!]);
    expect(specific).toEqual(["reply"]);
    expect(general).toEqual([]);
  });
});
