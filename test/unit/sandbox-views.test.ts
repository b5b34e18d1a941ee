import { describe, expect, it } from "vitest";
import { BandStore } from "../../src/sandbox/store.js";
import { messageView, renderMentions, typedMentions } from "../../src/sandbox/views.js";

function world() {
  const store = new BandStore();
  const ada = store.addUser({ name: "Ada Lovelace", handle: "ada" });
  const grace = store.addUser({ name: "Grace Hopper", handle: "grace" });
  const outsider = store.addUser({ name: "Mallory", handle: "mallory" });
  const agent = store.addAgent({ name: "Assistant", handle: "ada/assistant", ownerId: ada.id });
  const room = store.createRoom({ ownerId: ada.id, title: "Team", memberIds: [grace.id, agent.id], type: "group" });
  return { store, ada, grace, outsider, agent, room };
}

describe("typed @mentions in the sandbox's chat", () => {
  it("turns participants' handles into Band's tokens, keeping the punctuation that ends a sentence", () => {
    const { store, agent, grace, room } = world();
    const typed = typedMentions(store, room, "@ADA/assistant, ask @grace. Then @ada/assistant again");
    expect(typed.mentionIds).toEqual([agent.id, grace.id]);
    expect(typed.content).toBe(`@[[${agent.id}]], ask @[[${grace.id}]]. Then @[[${agent.id}]] again`);
    expect(renderMentions(store, typed.content)).toBe("@ada/assistant, ask @grace. Then @ada/assistant again");
  });

  it("leaves people outside the room, unknown handles and e-mail-like text as plain text", () => {
    const { store, room } = world();
    const text = "@mallory @nobody mail me at me@ada or me@ada.example or @";
    expect(typedMentions(store, room, text)).toEqual({ content: text, mentionIds: [] });
  });

  it("shows one state per mentioned agent, never for people or for the agent's own messages", () => {
    const { store, ada, agent, grace, room } = world();
    const asked = store.createMessage({ room, sender: grace, content: "hi", mentions: [agent, ada] });
    expect(messageView(store, asked).states).toEqual([{ agent_id: agent.id, handle: "ada/assistant", state: "unprocessed", attempts: 0 }]);
    const versions = [messageView(store, asked).version];
    store.markProcessing(asked, agent.id);
    versions.push(messageView(store, asked).version);
    store.completeAttempt(asked, agent.id, { error: "boom" });
    versions.push(messageView(store, asked).version);
    expect(messageView(store, asked).states[0]).toEqual({ agent_id: agent.id, handle: "ada/assistant", state: "failed", attempts: 1, error: "boom" });
    store.markProcessing(asked, agent.id);
    versions.push(messageView(store, asked).version);
    // Every change is a later version, so a page never lets an older view replace a newer one.
    expect(versions).toEqual([0, 1, 2, 3]);
    const reply = store.createMessage({ room, sender: agent, content: "done", mentions: [grace] });
    expect(messageView(store, reply)).toMatchObject({ content: `@grace done`, states: [], sender: { handle: "ada/assistant", type: "Agent" } });
  });
});
