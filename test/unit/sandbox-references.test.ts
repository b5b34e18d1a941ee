import { describe, expect, it } from "vitest";
import { isReferenced } from "../../src/sandbox/references.js";
import { BandStore } from "../../src/sandbox/store.js";
import { messageView } from "../../src/sandbox/views.js";

const grace = { id: "6f1c1f44-8d4b-4c36-9a55-0f3f5b0f8a11", handle: "grace", name: "Grace Hopper" };

describe("whether content already references a mention (Band prepends only the others)", () => {
  it("counts Band's token, the typed @handle in any case, and the @Display Name", () => {
    for (const text of [`ask @[[${grace.id}]]`, "Hi @grace", "Hi @Grace!", "(@grace)", "thanks, @grace.", "@GRACE: look", "Hi @Grace Hopper, look", "@grace hopper's turn"]) {
      expect(isReferenced(text, grace), text).toBe(true);
    }
  });

  it("does not count a longer handle, an agent of hers, an address, a bare name, or another id", () => {
    for (const text of ["Hi @gracey", "ask @grace/bot", "mail grace@grace.example", "Hi grace", "Hi Grace Hopper", "@[[00000000-0000-4000-8000-000000000000]]"]) {
      expect(isReferenced(text, grace), text).toBe(false);
    }
    // A name ends where a word does.
    const named = { ...grace, handle: "ghopper" };
    expect(isReferenced("@Grace Hopper's turn", named)).toBe(true);
    expect(isReferenced("@Grace Hoppers", named)).toBe(false);
    expect(isReferenced("@Grace", named)).toBe(false);
  });

  it("stores a message that names the mention once, and prepends the one it does not name", () => {
    const store = new BandStore();
    const ada = store.addUser({ name: "Ada Lovelace", handle: "ada" });
    const hopper = store.addUser({ name: "Grace Hopper", handle: "grace" });
    const alan = store.addUser({ name: "Alan Turing", handle: "alan" });
    const agent = store.addAgent({ name: "Assistant", handle: "ada/assistant", ownerId: ada.id });
    const room = store.createRoom({ ownerId: ada.id, title: "Team", memberIds: [hopper.id, alan.id, agent.id], type: "group" });
    const sent = store.createMessage({ room, sender: agent, content: "Hi @grace!", mentions: [hopper, alan] });
    expect(sent.content).toBe(`@[[${alan.id}]] Hi @grace!`);
    expect(messageView(store, sent).content).toBe("@alan Hi @grace!");
  });
});
