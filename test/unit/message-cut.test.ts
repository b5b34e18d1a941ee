import { describe, expect, it } from "vitest";
import { INBOX_CONTENT_CHARS } from "../../src/bounds.js";
import { toChannelEvent } from "../../src/channel/event.js";
import { toInboxMessage } from "../../src/inbox/sync.js";
import { messageCreated } from "../../src/realtime/events.js";
import { presentMessage } from "../../src/tools/inbox/schemas.js";

/**
 * A long message is cut once, in the inbox (its memory bound), which records how much is missing as a fact;
 * only the layer that shows it to the model words the marker.
 */
const band = (content: string) =>
  messageCreated.parse({ id: "m-1", content, message_type: "text", sender_id: "u-1", sender_type: "User", inserted_at: "2026-01-01T00:00:00Z" });

describe("a message cut by the inbox's bound", () => {
  it("is held with the number of characters cut, and no words in its text", () => {
    const held = toInboxMessage(band("x".repeat(INBOX_CONTENT_CHARS + 123)), "chat-1", undefined, []);
    expect(held.content).toBe("x".repeat(INBOX_CONTENT_CHARS));
    expect(held.cut_chars).toBe(123);
  });

  it("never splits a surrogate pair", () => {
    const held = toInboxMessage(band(`${"x".repeat(INBOX_CONTENT_CHARS - 1)}😀tail`), "chat-1", undefined, []);
    expect(held.content).toBe("x".repeat(INBOX_CONTENT_CHARS - 1));
    expect(held.cut_chars).toBe(6);
  });

  it("reaches the model (tools, resources, channel pushes) with the marker saying where to read the rest", () => {
    const held = toInboxMessage(band("x".repeat(INBOX_CONTENT_CHARS + 5)), "chat-1", undefined, []);
    const shown = presentMessage(held);
    expect(shown).not.toHaveProperty("cut_chars");
    const marker = "\n[… cut by band-mcp-server: 5 more characters. Read the whole message with band_get_context or band_list_messages (chat_id chat-1).]";
    expect(shown.content).toBe("x".repeat(INBOX_CONTENT_CHARS) + marker);
    expect(toChannelEvent(shown).content.endsWith(marker)).toBe(true);
  });

  it("a whole message is held and shown as it is", () => {
    const held = toInboxMessage(band("short"), "chat-1", undefined, []);
    expect(held).not.toHaveProperty("cut_chars");
    expect(presentMessage(held)).toBe(held);
  });
});
