import type { BandClient } from "./http.js";

export interface Participant {
  id: string;
  type: string;
  name?: string | null;
  handle?: string | null;
  role?: string;
  status?: string;
}

const TTL_MS = 60_000;

/**
 * Room participants, cached per room: mention resolution and `@[[uuid]]` rendering need them on every
 * message, and the live socket keeps them fresh (participant_added/removed) so the TTL is only a fallback.
 */
export class Participants {
  readonly #cache = new Map<string, { at: number; list: Participant[] }>();
  readonly #inflight = new Map<string, Promise<Participant[]>>();

  constructor(private readonly band: BandClient | undefined) {}

  async list(chatId: string, signal?: AbortSignal): Promise<Participant[]> {
    const hit = this.#cache.get(chatId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.list;
    if (!this.band) return [];
    let pending = this.#inflight.get(chatId);
    if (!pending) {
      const band = this.band;
      pending = band
        .call("listAgentChatParticipants", { path: { chat_id: chatId }, signal })
        .then(({ data }) => {
          const list = (data ?? []) as Participant[];
          this.#cache.set(chatId, { at: Date.now(), list });
          return list;
        })
        .finally(() => this.#inflight.delete(chatId));
      this.#inflight.set(chatId, pending);
    }
    return pending;
  }

  /** The cached list without a network call (empty when unknown). */
  cached(chatId: string): Participant[] {
    return this.#cache.get(chatId)?.list ?? [];
  }

  upsert(chatId: string, participant: Participant): void {
    const hit = this.#cache.get(chatId);
    if (!hit) return;
    hit.list = [...hit.list.filter((p) => p.id !== participant.id), participant];
  }

  remove(chatId: string, participantId: string): void {
    const hit = this.#cache.get(chatId);
    if (hit) hit.list = hit.list.filter((p) => p.id !== participantId);
  }

  forget(chatId: string): void {
    this.#cache.delete(chatId);
  }
}
