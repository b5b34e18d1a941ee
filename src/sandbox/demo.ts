/** The sandbox's starting world: a demo agent, the people it works with, and two rooms. No messages yet. */
import { newId } from "./ids.js";
import type { ActorRecord } from "./records.js";
import type { BandStore } from "./store.js";

export interface Demo {
  /** Names this world, so a page bookmarked for one sandbox notices when another answers at its address. */
  worldId: string;
  agent: ActorRecord;
  people: ActorRecord[];
}

export function seedDemo(store: BandStore): Demo {
  const ada = store.addUser({ name: "Ada Lovelace", handle: "ada" });
  const grace = store.addUser({ name: "Grace Hopper", handle: "grace" });
  const alan = store.addUser({ name: "Alan Turing", handle: "alan" });
  const agent = store.addAgent({ name: "Assistant", handle: "ada/assistant", ownerId: ada.id, description: "The sandbox's demo agent: your MCP host speaks as it." });
  store.createRoom({ title: "Welcome", ownerId: ada.id, memberIds: [agent.id], type: "direct" });
  store.createRoom({ title: "Team room", ownerId: ada.id, memberIds: [grace.id, alan.id, agent.id], type: "group" });
  return { worldId: newId(), agent, people: [ada, grace, alan] };
}
