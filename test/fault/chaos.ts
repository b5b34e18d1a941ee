import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import type { FakeBand } from "../fake-band/index.js";
import { seededRandom } from "../fake-band/faults.js";

/** The seed of this run: FAULT_SEED when given (to replay a failure), else random; always printed. */
export function faultSeed(): number {
  const given = process.env.FAULT_SEED;
  return given !== undefined && given !== "" ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 31);
}

export interface ChaosPlan {
  /** Messages to post, spread over the ticks (one tick gets a burst, to overflow a small inbox). */
  total: number;
  ticks: number;
  tickMs: number;
  drops: number;
  /** Upgrade refusals (503/429, some with retry_after), each followed by a drop so that they bite. */
  refusals: number;
  /** Heartbeat stalls long enough for the client's heartbeat timeout (in-process runs with short heartbeats). */
  stalls: number;
  stallMs: number;
  badFrames: number;
  roomsAdded: number;
  /** Rooms the agent is removed from, and added back to a few ticks later. */
  roomsLeft: number;
  /** The share of REST calls answered 500, 503 or 429 (Retry-After 0 or 1), for the whole run. */
  restFailureShare: number;
  /** Server crashes (the caller kills and restarts the process; posting goes on meanwhile). */
  crashes: number;
  /**
   * Band's agent.control: each a stop (of the agent or one room) played again a few ticks later, the stop then
   * re-sent with its old correlation_id (it must count once), or an interrupt of blocked waits.
   */
  controls: number;
  /** Retryable supersedes, with a retry_after of up to 0.3 s: the server must come back by itself. */
  supersedes: number;
  /** Ticks during which some backlog listings answer a cursor that repeats, so drains fail and are retried. */
  cursorLoops: number;
  /** The share of message_created pushes Band never sends (the idle resync and reconnect drains find them). */
  pushDropShare: number;
  /**
   * Another socket with the agent's key taking the slot while the server's socket is down (the server's dropped
   * first), held for a few ticks, then closed: the server must stand by and take over, never supersede it.
   */
  intruders: number;
}

export interface ChaosRun {
  posted: string[];
  /** Drops that hit a live socket (a drop while it is already down does nothing). */
  effectiveDrops: number;
  /** What happened at which tick, for failure messages. */
  log: string[];
  restFailures: number;
  droppedPushes: number;
}

type Action = (tick: number) => void | Promise<void>;

/**
 * Drives a fake Band through a seeded plan while messages flow: every decision (how many messages, which
 * room, which fault at which tick) comes from the seed, so a failing run can be replayed with FAULT_SEED.
 * Timing still varies between runs (real sockets), which is the point: each run explores another interleaving.
 */
export async function runChaos(
  fake: FakeBand,
  seed: number,
  plan: ChaosPlan,
  initialRooms: string[],
  /** Kills and restarts the server; gets the ids posted so far. */
  onCrash: (index: number, posted: readonly string[]) => Promise<void> = async () => undefined,
): Promise<ChaosRun> {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const agentId = fake.agent.id;
  const active = [...initialRooms];
  const log: string[] = [];
  const posted: string[] = [];
  const background: Promise<void>[] = [];
  let effectiveDrops = 0;
  // Sockets of the "other process" (intruders) that hold the agent's slot: a drop then hits them, not the server.
  let intrudersHolding = 0;
  const serverHoldsSlot = () => intrudersHolding === 0 && fake.socket.connectedAgents().includes(agentId);
  const drop = (code?: number) => {
    if (serverHoldsSlot()) effectiveDrops++;
    fake.socket.drop(agentId, code);
  };

  const actions = new Map<number, Action[]>();
  const at = (tick: number, action: Action) => actions.set(tick, [...(actions.get(tick) ?? []), action]);
  // Faults land on the middle ticks, so there is traffic before and after each; the last tick is quiet.
  const someTick = () => 1 + int(plan.ticks - 3);

  const sizes = spread(plan.total, plan.ticks, random);
  for (let i = 0; i < plan.drops; i++) {
    at(someTick(), (t) => {
      const code = pick([undefined, 1000, 1011, 4000]);
      log.push(`t${t}: drop socket (code ${code ?? "none"})`);
      drop(code);
    });
  }
  for (let i = 0; i < plan.refusals; i++) {
    at(someTick(), (t) => {
      const status = pick([503, 429] as const);
      const count = 1 + int(2);
      const retryAfter = pick([undefined, 0, 1]);
      log.push(`t${t}: refuse ${count} upgrade(s) with ${status} retry_after ${retryAfter ?? "none"}, then drop`);
      fake.socket.refuseUpgrades(status, { count, ...(retryAfter === undefined ? {} : { retryAfter }) });
      drop();
    });
  }
  for (let i = 0; i < plan.stalls; i++) {
    at(someTick(), (t) => {
      log.push(`t${t}: stall heartbeats for ${plan.stallMs} ms`);
      fake.socket.stallHeartbeats(true);
      background.push(sleep(plan.stallMs).then(() => fake.socket.stallHeartbeats(false)));
    });
  }
  for (let i = 0; i < plan.badFrames; i++) {
    at(someTick(), (t) => {
      const frame = pick(badFrames(agentId, pick(active)));
      log.push(`t${t}: bad frame ${frame.slice(0, 80)}`);
      fake.socket.sendRaw(agentId, frame);
    });
  }
  for (let i = 0; i < plan.roomsAdded; i++) {
    at(someTick(), (t) => {
      const room = fake.createRoom({ ownerId: fake.user.id, memberIds: [agentId] });
      log.push(`t${t}: room ${room.id} added`);
      active.push(room.id);
    });
  }
  for (let i = 0; i < plan.roomsLeft; i++) {
    const leaveAt = someTick();
    let left: string | undefined;
    at(leaveAt, (t) => {
      // Never the first room: it always stays, so there is somewhere to post.
      if (active.length < 2) return;
      left = active.splice(1 + int(active.length - 1), 1)[0]!;
      log.push(`t${t}: agent removed from room ${left}`);
      fake.removeParticipant(left, agentId);
    });
    at(Math.min(plan.ticks - 2, leaveAt + 2 + int(4)), (t) => {
      if (!left) return;
      log.push(`t${t}: agent added back to room ${left}`);
      fake.addParticipant(left, agentId);
      active.push(left);
    });
  }
  let controls = 0;
  /** Crashes so far: which server process a control event reaches. */
  let crashed = 0;
  const controlTopic = `agent_control:${agentId}`;
  const control = (payload: Record<string, unknown>) =>
    fake.socket.push(agentId, controlTopic, "agent.control", { agent_id: agentId, scope: "agent", correlation_id: `chaos-${++controls}`, ...payload });
  // Band does not replay control events to a socket that was down (or standing by): a play it never saw would
  // pause for good, so a play is sent again until a socket takes it.
  const untilDelivered = async (payload: Record<string, unknown>) => {
    for (let waited = 0; waited < 15_000; waited += 20) {
      if (control(payload)) return;
      await sleep(20);
    }
    log.push(`  ${JSON.stringify(payload)} never reached a socket of the server's in 15 s`);
  };
  for (let i = 0; i < plan.controls; i++) {
    const stopAt = someTick();
    // A room's event comes as Band's SDKs write it: {scope: "room", room_id} or {scope: "agent", room_id}.
    const room = random() < 0.5 ? pick(initialRooms) : undefined;
    const scope = room ? { scope: pick(["room", "agent"]), room_id: room } : {};
    if (random() < 0.3) {
      at(stopAt, (t) => {
        log.push(`t${t}: agent.control interrupt ${room ? `room ${room} (scope ${scope.scope})` : "agent"}`);
        control({ mode: "interrupt", ...scope });
      });
      continue;
    }
    let stop: Record<string, unknown> | undefined;
    let stoppedIn = 0;
    at(stopAt, (t) => {
      const sent = { mode: "stop", ...scope, correlation_id: `chaos-stop-${i}` };
      // Only a stop that reached the socket can be repeated as a duplicate; one never seen would be a new stop.
      if (control(sent)) stop = sent;
      stoppedIn = crashed;
      log.push(`t${t}: agent.control stop ${room ? `room ${room} (scope ${scope.scope})` : "agent"}${stop ? "" : " (socket down: not sent)"}`);
    });
    at(Math.min(plan.ticks - 2, stopAt + 1 + int(3)), (t) => {
      log.push(`t${t}: agent.control play ${room ? `room ${room}` : "agent"}, then the stop again with its old correlation_id`);
      // In the background: while another process holds the slot the play can land only after it leaves, at a
      // later tick, which awaiting it here would hold back for good.
      // The duplicate only to the process that saw the stop: ids seen live in its memory, and a play held back
      // past a crash reaches a new process, to which the old stop would be a new one (paused for good).
      background.push(
        untilDelivered({ mode: "play", ...scope }).then(() => {
          if (stop && crashed === stoppedIn) control(stop);
          else if (stop) log.push(`  the stop's duplicate not sent: the process that saw it crashed before the play landed`);
        }),
      );
    });
  }
  for (let i = 0; i < plan.supersedes; i++) {
    at(someTick(), (t) => {
      const retryAfter = pick([0, 0.1, 0.3]);
      log.push(`t${t}: retryable supersede, retry_after ${retryAfter}`);
      if (serverHoldsSlot()) effectiveDrops++;
      fake.socket.supersede(agentId, { reason: "session.rebalanced", message: "chaos", retryable: true, retry_after: retryAfter, correlation_id: `chaos-supersede-${i}` });
    });
  }
  const listing = /\/agent\/chats\/[^/]+\/messages$/;
  for (let i = 0; i < plan.cursorLoops; i++) {
    at(someTick(), (t) => {
      log.push(`t${t}: backlog listings repeat their cursor for 3 ticks`);
      const loop = fake.failRandomly({
        share: 0.5,
        random: seededRandom(seed + i),
        path: listing,
        method: "GET",
        answers: [{ status: 200, body: { data: [], metadata: { has_more: true, next_cursor: "again", limit: 100 } } }],
      });
      // Every room rejoins and drains, so the loop meets the drains.
      drop();
      background.push(sleep(3 * plan.tickMs).then(() => loop.stop()));
    });
  }
  for (let i = 0; i < plan.intruders; i++) {
    const from = someTick();
    let intruder: WebSocket | undefined;
    at(from, (t) => {
      log.push(`t${t}: drop, and another socket with the agent's key takes the slot`);
      drop();
      intruder = new WebSocket(`${fake.wsUrl}/websocket?vsn=2.0.0&on_conflict=reject&agent_id=${agentId}`, { headers: { "x-api-key": fake.agent.key } });
      intruder.on("error", () => undefined);
      intruder.on("open", () => {
        intrudersHolding++;
        intruder!.once("close", () => intrudersHolding--);
      });
    });
    at(Math.min(plan.ticks - 2, from + 2 + int(3)), (t) => {
      log.push(`t${t}: the other socket goes away`);
      intruder?.close();
    });
  }
  const dropping = plan.pushDropShare > 0 ? seededRandom(seed ^ 0x68e31da4) : undefined;
  if (dropping) fake.socket.dropPushes((_agent, _topic, event) => event === "message_created" && dropping() < plan.pushDropShare);
  for (let i = 0; i < plan.crashes; i++) {
    // Crashes are spaced out: each restart has time to connect before the next kill.
    const tick = Math.floor(((i + 1) * plan.ticks) / (plan.crashes + 1)) + int(3) - 1;
    at(tick, (t) => {
      crashed++;
      log.push(`t${t}: crash ${i + 1} (SIGKILL, restart)`);
      background.push(onCrash(i, posted));
    });
  }

  // Its own generator: how many REST calls happen depends on timing, and must not shift the plan's choices.
  const rest = plan.restFailureShare > 0
    ? fake.failRandomly({ share: plan.restFailureShare, random: seededRandom(seed ^ 0x5bd1e995), answers: [{ status: 500 }, { status: 503 }, { status: 429, retryAfter: 0 }, { status: 429, retryAfter: 1 }] })
    : undefined;
  try {
    for (let tick = 0; tick < plan.ticks; tick++) {
      for (const action of actions.get(tick) ?? []) await action(tick);
      for (let i = 0; i < sizes[tick]!; i++) {
        const roomId = pick(active);
        posted.push(fake.postMessage(roomId, { senderId: fake.user.id, content: `chaos ${posted.length}`, mentions: [agentId] }).id);
      }
      await sleep(plan.tickMs);
    }
    await Promise.all(background);
  } finally {
    rest?.stop();
    fake.socket.stallHeartbeats(false);
    fake.socket.dropPushes(undefined);
  }
  if (plan.pushDropShare > 0) log.push(`${fake.socket.droppedPushes} pushes never sent`);
  return { posted, effectiveDrops, log, restFailures: rest?.injected ?? 0, droppedPushes: fake.socket.droppedPushes };
}

/** `total` split over `ticks`, unevenly, with one burst of about five ticks' worth. */
function spread(total: number, ticks: number, random: () => number): number[] {
  const weights = Array.from({ length: ticks }, () => 0.2 + random());
  weights[1 + Math.floor(random() * (ticks - 3))]! += 5;
  weights[ticks - 1] = 0;
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((w / sum) * total));
  sizes[0]! += total - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

/** Frames Band never sends: not JSON, not Phoenix, bad payloads, unknown events and topics, stray replies. */
function badFrames(agentId: string, roomId: string): string[] {
  const frame = (...parts: unknown[]) => JSON.stringify(parts);
  return [
    "this is not json",
    "{\"event\":\"message_created\"",
    frame(1, 2, 3),
    JSON.stringify({ topic: `chat_room:${roomId}`, event: "message_created" }),
    frame(null, null, `chat_room:${roomId}`, "message_created", { id: 42 }),
    frame(null, null, `chat_room:${roomId}`, "message_created", null),
    frame(null, null, `chat_room:${roomId}`, "mystery_event", { hello: "world" }),
    frame(null, null, `nowhere:${roomId}`, "message_created", { id: randomUUID(), content: "ghost" }),
    frame(null, "99999", "phoenix", "phx_reply", { status: "ok", response: {} }),
    frame(null, null, `agent_rooms:${agentId}`, "room_added", { title: 5 }),
    frame(null, null, `agent_rooms:${agentId}`, "room_removed", { id: randomUUID() }),
    frame(null, null, `agent_rooms:${agentId}`, "room_added", { id: randomUUID(), title: "a room that does not exist" }),
    frame(null, null, `room_participants:${roomId}`, "participant_added", { id: 7 }),
  ];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
