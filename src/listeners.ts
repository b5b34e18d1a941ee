/** A typed subscription list: `on` returns the unsubscribe function. Replaces string-named EventEmitter events. */
export class Listeners<Args extends unknown[]> {
  readonly #listeners = new Set<(...args: Args) => void>();

  on(listener: (...args: Args) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  emit(...args: Args): void {
    for (const listener of this.#listeners) listener(...args);
  }
}
