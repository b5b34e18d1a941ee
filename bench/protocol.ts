/** The IPC contract between the bench runner and the fake Band child (bench/fake-band-process.ts). */

export interface World {
  url: string;
  wsUrl: string;
  agentKey: string;
  agentId: string;
  userId: string;
  roomId: string;
}

export interface HubAgent {
  id: string;
  key: string;
  roomIds: string[];
}

/** What the fake's own records say about the messages it was asked to post. */
export interface DeliveryReport {
  posted: number;
  processed: number;
  /** Messages with no claim at all (never handed to the model). */
  neverClaimed: number;
  /** Messages claimed more than once: handed out twice (a duplicate, within one server process). */
  claimedTwice: number;
  /** Up to 5 ids of messages that are not processed, for diagnosis. */
  sampleUnprocessed: string[];
}

export interface Commands {
  world: { args: Record<string, never>; result: World };
  /** Rooms owned by the user with the agent as member; pushes room_added when the agent is connected. */
  createRooms: { args: { count: number }; result: string[] };
  /** Posts `count` mentions of the agent round-robin over `roomIds`, in one synchronous burst. */
  post: { args: { roomIds: string[]; count: number }; result: { ids: string[] } };
  /** Posts one mention whose content carries the fake's clock (performance.timeOrigin + now) at the push. */
  postStamped: { args: { roomId: string }; result: { id: string; sentAt: number } };
  /** The fake's clock, for estimating the offset to the runner's. */
  clock: { args: Record<string, never>; result: number };
  deliveries: { args: Record<string, never>; result: DeliveryReport };
  /**
   * The hub's world: `agents` more agents, each alone (with the user) in `rooms` rooms of its own, and the
   * seeded peer in each agent's first room (to answer sync sends).
   */
  hubWorld: { args: { agents: number; rooms: number }; result: HubAgent[] };
  /** How many of the hub world's agents have joined every one of their rooms. */
  hubJoined: { args: Record<string, never>; result: number };
  /** Like postStamped, mentioning a given agent. */
  postStampedTo: { args: { roomId: string; agentId: string }; result: { id: string; sentAt: number } };
  /** The seeded peer answers `askerId`'s next message in the room the moment it is posted. */
  answerNext: { args: { roomId: string; askerId: string }; result: null };
  /** How many REST requests the fake has answered so far. */
  requestCount: { args: Record<string, never>; result: number };
  /** Forgets request and frame records and posted ids (long runs would otherwise grow them). */
  forget: { args: Record<string, never>; result: null };
}

export type CommandName = keyof Commands;

export interface Request<C extends CommandName = CommandName> {
  id: number;
  command: C;
  args: Commands[C]["args"];
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** One clock for every process on this machine: sub-millisecond, wall-clock based. */
export const now = (): number => performance.timeOrigin + performance.now();

export const STAMP_PREFIX = "bench-stamp:";
