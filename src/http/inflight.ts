import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The requests the server is answering, so that a shutdown can wait for them and answer whatever is left.
 * GET requests (an MCP session's standalone stream) are not waited for: they never end by themselves.
 */
export class InFlight {
  readonly #open = new Map<ServerResponse, { awaited: boolean; stop: () => void }>();
  #onSettled: (() => void) | undefined;

  /**
   * A request is in flight until its response closed and its handler (`done`, which may finish work after the
   * answer) ended. `stop` answers it (or ends its stream) if the server must go before it is done.
   */
  track(req: IncomingMessage, res: ServerResponse, done: Promise<void>, stop: () => void): void {
    this.#open.set(res, { awaited: req.method !== "GET", stop });
    const closed = new Promise((resolve) => res.once("close", resolve));
    void Promise.all([closed, done]).then(() => {
      this.#open.delete(res);
      if (!this.#busy()) this.#onSettled?.();
    });
  }

  /** Resolves when no awaited request is open any more, or after `ms`. */
  settle(ms: number): Promise<void> {
    if (!this.#busy()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#onSettled = done;
    });
  }

  /** Answers every request still open. */
  stopAll(): void {
    for (const { stop } of [...this.#open.values()]) stop();
  }

  #busy(): boolean {
    for (const { awaited } of this.#open.values()) if (awaited) return true;
    return false;
  }
}
