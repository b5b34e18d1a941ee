import { describe, expect, it } from "vitest";
import type { Participant } from "../../src/band/participants.js";
import { findId, isUuid } from "../../src/tools/identify.js";
import { renderMessage } from "../../src/band/mentions.js";

const bob: Participant = { id: "id-bob", type: "User", name: "Bob Stone", handle: "bob" };
const rev: Participant = { id: "id-rev", type: "Agent", name: "Reviewer", handle: "alice/reviewer" };
const nameless: Participant = { id: "id-anon", type: "Agent", name: "Anon Bot", handle: null };

describe("renderMessage", () => {
  it("renders 1 MB of repeated '@[[' in linear time (a participant can send that)", () => {
    const content = "@[[".repeat(350_000);
    const started = performance.now();
    const rendered = renderMessage({ id: "m1", content: `${content} @[[id-bob]]` }, [bob]).content;
    // Linear: tens of milliseconds (a loaded CI machine may take more); the unbounded pattern took minutes.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(rendered.endsWith(" @bob")).toBe(true);
  });

  it("renders @[[uuid]] tokens as @handle, falling back to the display name", () => {
    const message = { id: "m1", content: "@[[id-bob]] and @[[id-rev]], ask @[[id-anon]]" };
    expect(renderMessage(message, [bob, rev, nameless]).content).toBe("@bob and @alice/reviewer, ask @Anon Bot");
  });

  it("keeps unknown tokens and leaves the input untouched", () => {
    const message = { id: "m1", content: "hi @[[id-ghost]] @[[id-bob]]" };
    const rendered = renderMessage(message, [bob]);
    expect(rendered.content).toBe("hi @[[id-ghost]] @bob");
    expect(message.content).toBe("hi @[[id-ghost]] @[[id-bob]]");
  });

  it("uses the message's own mention metadata for people no longer in the room", () => {
    const message = {
      id: "m1",
      content: "@[[id-gone]] @[[id-bob]] @[[id-user]]",
      metadata: { mentions: [{ id: "id-gone", handle: "carol", name: "Carol" }, { id: "id-bob", handle: "old-bob" }, { id: "id-user", username: "dave" }] },
    };
    // The room's current participants win over the snapshot in the message.
    expect(renderMessage(message, [bob]).content).toBe("@carol @bob @dave");
  });

  it("passes through messages without tokens or without text content", () => {
    const plain = { id: "m1", content: "no mentions here" };
    expect(renderMessage(plain, [bob])).toBe(plain);
    const odd = { id: "m2", content: null, metadata: "not an object" };
    expect(renderMessage(odd, [bob])).toBe(odd);
  });

  it("ignores malformed mention metadata", () => {
    const message = { id: "m1", content: "@[[id-x]]", metadata: { mentions: [null, "x", { handle: "no-id" }, { id: 3 }] } };
    expect(renderMessage(message, []).content).toBe("@[[id-x]]");
  });
});

describe("findId", () => {
  const room = [bob, rev, nameless];

  it("finds by id, handle with or without @, or display name, case-insensitively", () => {
    expect(findId("id-bob", room)).toBe("id-bob");
    expect(findId("@Alice/Reviewer", room)).toBe("id-rev");
    expect(findId("bob", room)).toBe("id-bob");
    expect(findId("anon bot", room)).toBe("id-anon");
  });

  it("returns undefined for unknown or ambiguous names", () => {
    expect(findId("nobody", room)).toBeUndefined();
    expect(findId("Twin", [{ id: "a", type: "User", name: "Twin" }, { id: "b", type: "User", name: "Twin" }])).toBeUndefined();
  });

  it("recognises uuids", () => {
    expect(isUuid("0b7e0a4c-4c1e-4f57-9d5e-3f2a1b6c7d8e")).toBe(true);
    expect(isUuid("alice/reviewer")).toBe(false);
  });
});
