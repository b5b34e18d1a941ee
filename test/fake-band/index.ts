/**
 * `startFakeBand()`: the test suite's Band — the product's local Band (src/sandbox) with the standard seeded
 * world, a record of every REST request and fault injection. The contract is README.md beside this file.
 */
import { actorView, startBand, type Actor, type Band } from "../../src/sandbox/band.js";
import type { RecordedRequest } from "../../src/sandbox/rest.js";
import { addRandomFailures, takeFault, type FailRule, type RandomFailures, type RandomFailuresHandle } from "./faults.js";

export type { Actor, ChatMessage, DeliveryView } from "../../src/sandbox/band.js";

export interface StartOptions {
  /** Seed the standard world (agent, user, peer, room); default true. */
  seed?: boolean;
  /** Passed to the BandSocketServer: a shorter idle timeout for heartbeat tests, a log sink. */
  socket?: { idleTimeoutMs?: number; log?: (line: string) => void };
}

export interface FakeBand extends Omit<Band, "store"> {
  agent: Actor;
  user: Actor;
  peer: Actor;
  room: { id: string; title: string };
  requests: RecordedRequest[];
  failNext(count: number, status: number, options?: { path?: RegExp; method?: string; retryAfter?: number; code?: string; body?: unknown }): void;
  /** Fails a seeded share of REST calls until stopped (faults.ts). */
  failRandomly(options: RandomFailures): RandomFailuresHandle;
}

export async function startFakeBand(options: StartOptions = {}): Promise<FakeBand> {
  const requests: RecordedRequest[] = [];
  const failRules: FailRule[] = [];
  const band = await startBand({
    ...(options.socket ? { socket: options.socket } : {}),
    rest: { record: (request) => requests.push(request), fault: (method, path) => takeFault(failRules, method, path) },
  });
  const { store } = band;

  let seeded: { agent: Actor; user: Actor; peer: Actor; room: { id: string; title: string } } | undefined;
  if (options.seed !== false) {
    const user = store.addUser({ name: "Alice Smith", handle: "alice" });
    const agent = store.addAgent({ name: "Helper", handle: "alice/helper", ownerId: user.id });
    const peer = store.addAgent({ name: "Reviewer", handle: "alice/reviewer", ownerId: user.id });
    const room = store.createRoom({ title: "Project room", ownerId: user.id, memberIds: [agent.id, peer.id], type: "group" });
    seeded = { agent: actorView(agent), user: actorView(user), peer: actorView(peer), room: { id: room.id, title: "Project room" } };
  }
  const world = () => {
    if (!seeded) throw new Error("fake band: started with seed: false, so there is no seeded world");
    return seeded;
  };

  return {
    ...band,
    get agent() {
      return world().agent;
    },
    get user() {
      return world().user;
    },
    get peer() {
      return world().peer;
    },
    get room() {
      return world().room;
    },
    // New agents are the seeded user's, so they are siblings of the agent under test.
    addAgent: (fields = {}) => band.addAgent({ ...fields, ownerId: seeded?.user.id }),
    requests,
    failNext: (count, status, rule = {}) => {
      if (count > 0) failRules.push({ remaining: count, status, ...rule });
    },
    failRandomly: (options) => addRandomFailures(failRules, options),
  };
}
