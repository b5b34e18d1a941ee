import type { Logger } from "../log.js";
import type { BandEvent } from "../realtime/events.js";
import { RecentIds } from "../recent-ids.js";
import { STATUS, type CoreEvents } from "./events.js";
import type { Inbox } from "./inbox.js";
import type { Stopped } from "./live.js";
import type { LoopGuard } from "./loop-guard.js";

type ControlEvent = Extract<BandEvent, { type: "agent_control" }>;

/** How many correlation ids are remembered: Band does not dedupe agent.control, so we do. */
const SEEN_LIMIT = 1_000;

/**
 * Band's `agent.control` (docs/delivery.md guarantee 10): `stop` holds delivery for the agent or one room (nothing
 * handed out, so nothing claimed: messages stay unprocessed on Band), `play` resumes, `interrupt` ends blocked
 * waits at once with an empty result that says so. The parser routes by `room_id` alone, as Band's SDKs do. A
 * room's interrupt ends the waits bound to that room (a chat-filtered wait, a send-and-wait there); a wait bound
 * to no chat is not working in that room, and ending it would only make its model poll again, so it keeps waiting.
 */
export class Control {
  readonly #seen = new RecentIds(SEEN_LIMIT);
  /** Whether the whole agent is stopped, with Band's reason when it gave one. */
  #agentStopped: { reason?: string } | undefined;
  /** Stopped rooms, each with Band's reason (or undefined). */
  readonly #roomsStopped = new Map<string, string | undefined>();

  constructor(
    private readonly inbox: Inbox,
    /** Band's play (for one room, or the agent) lets the loop guard's holds go too. */
    private readonly loopGuard: LoopGuard,
    private readonly log: Logger,
    private readonly events: CoreEvents,
  ) {
    events.on("agent_control", (event) => this.#apply(event));
    events.on("room_left", (event) => this.#forget(event.roomId));
  }

  #apply(event: ControlEvent): void {
    if (event.correlationId !== undefined && !this.#seen.add(event.correlationId)) return;
    const where = event.roomId === undefined ? "agent" : `chat ${event.roomId}`;
    this.log.info(`Band agent.control ${event.mode} for ${where}${event.reason ? ` (${event.reason})` : ""}`);
    switch (event.mode) {
      case "stop":
        if (event.roomId === undefined) this.#agentStopped = event.reason ? { reason: event.reason } : {};
        else this.#roomsStopped.set(event.roomId, event.reason);
        this.inbox.hold(event.roomId);
        break;
      case "play":
        if (event.roomId === undefined) {
          this.#agentStopped = undefined;
          for (const id of this.#roomsStopped.keys()) this.inbox.release(id);
          this.#roomsStopped.clear();
        } else this.#roomsStopped.delete(event.roomId);
        this.inbox.release(event.roomId);
        if (event.roomId === undefined) this.loopGuard.releaseAll();
        else this.loopGuard.release(event.roomId);
        break;
      case "interrupt":
        this.inbox.interrupt(event.roomId);
        break;
    }
    this.events.emit(STATUS);
  }

  /** What Band has stopped, if anything. */
  stopped(): Stopped | undefined {
    if (this.#agentStopped === undefined && this.#roomsStopped.size === 0) return undefined;
    const chats = [...this.#roomsStopped].map(([chat_id, reason]) => ({ chat_id, ...(reason ? { reason } : {}) }));
    return { ...(this.#agentStopped ? { agent: this.#agentStopped } : {}), chats };
  }

  /** Forgets a room that is gone. */
  #forget(roomId: string): void {
    if (this.#roomsStopped.delete(roomId)) this.inbox.release(roomId);
  }
}
