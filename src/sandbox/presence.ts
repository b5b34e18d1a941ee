/**
 * Which agents have a live socket on this Band now. The web chat shows an agent offline instead of a stale
 * "working…", and says a message it holds in processing waits for it to come back.
 */
export class Presence {
  readonly #online = new Set<string>();
  readonly #watchers = new Set<(agentId: string, online: boolean) => void>();

  /** Called by the socket server as connections come and go. */
  set(agentId: string, online: boolean): void {
    if (online === this.#online.has(agentId)) return;
    if (online) this.#online.add(agentId);
    else this.#online.delete(agentId);
    for (const watcher of this.#watchers) watcher(agentId, online);
  }

  isOnline(agentId: string): boolean {
    return this.#online.has(agentId);
  }

  online(): string[] {
    return [...this.#online];
  }

  /** Calls `watcher` on each change; returns the unsubscribe. */
  watch(watcher: (agentId: string, online: boolean) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }
}
