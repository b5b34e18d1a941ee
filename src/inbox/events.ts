import type { LiveEvent } from "../realtime/events.js";
import type { TopicKind } from "../realtime/topics.js";
import type { ConnectionState } from "./live.js";

/** What happens in the live core, as typed facts: Band's events from the socket, and the core's own. */
export type CoreEvent =
  | LiveEvent
  /** The connection's state, or its detail, changed. */
  | { type: "connection"; state: ConnectionState }
  /** A topic was joined, the first time or after a reconnect. */
  | { type: "joined"; kind: TopicKind; id: string }
  /** A room left the agent's list: what was kept about it is forgotten. */
  | { type: "room_left"; roomId: string }
  /** The room list changed (resource listings). */
  | { type: "rooms_changed" }
  /** Something band_status reports changed besides the connection (counts, holds, failures). */
  | { type: "status" };

export type CoreEventType = CoreEvent["type"];
export type CoreEventOf<T extends CoreEventType> = Extract<CoreEvent, { type: T }>;

/** The events without fields: one object each, so emitting them allocates nothing. */
export const STATUS: CoreEventOf<"status"> = { type: "status" };
export const ROOMS_CHANGED: CoreEventOf<"rooms_changed"> = { type: "rooms_changed" };

/**
 * The live core's one event line. Each part subscribes to the types it acts on when it is built, and every
 * event goes to its subscribers synchronously, in subscription order, when it is emitted: the link's events
 * reach the rooms, the claims and the resync in the same call that read the frame.
 */
export class CoreEvents {
  readonly #handlers = new Map<CoreEventType, Set<(event: never) => void>>();

  on<T extends CoreEventType>(type: T, handler: (event: CoreEventOf<T>) => void): () => void {
    let handlers = this.#handlers.get(type);
    if (!handlers) this.#handlers.set(type, (handlers = new Set()));
    handlers.add(handler);
    return () => void handlers.delete(handler);
  }

  emit(event: CoreEvent): void {
    const handlers = this.#handlers.get(event.type);
    if (handlers) for (const handler of handlers) (handler as (event: CoreEvent) => void)(event);
  }
}
