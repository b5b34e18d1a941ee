/**
 * Ids remembered for deduplication, bounded: past `limit`, the oldest is forgotten first. Used wherever Band
 * or a host may repeat something (a message, an agent.control event, a permission answer).
 */
export class RecentIds {
  readonly #ids = new Set<string>();

  constructor(readonly limit: number) {}

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Remembers the id; false when it was already remembered, so `if (!seen.add(id)) return;` skips a repeat. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.limit) this.#ids.delete(this.#ids.values().next().value!);
    return true;
  }
}
