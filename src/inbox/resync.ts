import type { CoreEvents } from "./events.js";
import type { Rooms } from "./rooms.js";

/** Rooms checked per second during a resync sweep, at most: the cost bound of guarantee 11. */
const PACE_MS = 1_000;

export interface ResyncOptions {
  /** Idle time before a sweep (BAND_RESYNC_SECONDS); 0 disables resync. */
  idleMs: number;
  /** Between two rooms of a sweep; 1 s unless a test says otherwise. */
  paceMs?: number;
  /** The rooms swept, each re-read with a quiet backlog drain. */
  rooms: Rooms;
  /** Sweeps run while connected; a push puts the next one off. */
  events: CoreEvents;
}

/**
 * Idle resync (docs/delivery.md guarantee 11): a push Band never sent, or a message released elsewhere, is found without
 * waiting for a reconnect. After `idleMs` without a push, one sweep re-reads the rooms one at a time, at most one
 * room per second (a room with nothing new costs one request), continuing where the last sweep stopped. A push
 * ends the sweep (deliveries are flowing), and the next sweep waits for another idle interval. So an agent in R
 * rooms makes at most R requests per (idle + R) seconds: below one per second on average, none while pushes
 * flow. One timer per agent, unref'd; a push only stores a timestamp.
 */
export class Resync {
  /** The last push, or the end of the last sweep: the idle clock starts there. */
  #idleSince = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  /** When the current sweep began, and how many rooms it still has to check. */
  #sweep: { startedAt: number; left: number } | undefined;
  #next = 0;

  constructor(private readonly options: ResyncOptions) {
    options.events.on("connection", (event) => (event.state === "connected" ? this.#start() : this.stop()));
    // A message was pushed: deliveries are flowing.
    options.events.on("message_created", () => void (this.#idleSince = Date.now()));
  }

  /** Connected: sweeps begin after the next idle interval. */
  #start(): void {
    if (this.options.idleMs <= 0) return;
    this.#running = true;
    this.#idleSince = Date.now();
    this.#sweep = undefined;
    this.#arm(this.options.idleMs);
  }

  /** Disconnected or closing: no sweep until the next start. */
  stop(): void {
    this.#running = false;
    this.#sweep = undefined;
    clearTimeout(this.#timer);
  }

  #arm(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    const now = Date.now();
    const { idleMs } = this.options;
    if (this.#sweep && this.#idleSince > this.#sweep.startedAt) this.#sweep = undefined;
    if (!this.#sweep) {
      const idleFor = now - this.#idleSince;
      if (idleFor < idleMs) return this.#arm(idleMs - idleFor);
      this.#sweep = { startedAt: now, left: this.options.rooms.ids().length };
    }
    const rooms = this.options.rooms.ids();
    if (this.#sweep.left <= 0 || rooms.length === 0) {
      // Swept: the next sweep waits for another idle interval, counted from now.
      this.#sweep = undefined;
      this.#idleSince = now;
      return this.#arm(idleMs);
    }
    this.#sweep.left--;
    const roomId = rooms[this.#next++ % rooms.length]!;
    await this.options.rooms.resync(roomId);
    if (this.#running) this.#arm(this.options.paceMs ?? PACE_MS);
  }
}
