import type { Client } from "@modelcontextprotocol/sdk/client/index.js";

export interface Received {
  id: string;
  chat_id: string;
}

/** Acks in flight at most; beyond that the consumer waits for some to finish before taking more. */
const ACKS_IN_FLIGHT = 200;
const RETRY_ACK_MS = 200;

/**
 * An agent loop: wait for a batch, ack each message, wait again. Acks run alongside the next wait, so one
 * slow ack (Band asked to retry after a second) does not stall delivery. One Consumer per server process, so
 * that what one process delivered can be told apart from what the next one did. An ack that fails (an error
 * the server could not retry away, or the room was briefly left) is tried again shortly, as a careful agent
 * would.
 */
export class Consumer {
  /** Message id → how many times this process handed it out. */
  readonly received = new Map<string, number>();
  /** Ids whose ack failed at least once (a retried ack may open a second processing attempt on Band). */
  readonly ackRetried = new Set<string>();
  /** Tool errors seen (not transport failures), for diagnostics. */
  readonly errors: string[] = [];
  readonly #acks = new Set<Promise<void>>();
  /** No more waits. */
  #stopped = false;
  /** No more calls at all: the server is being killed, and its calls fail with the transport. */
  #abandoned = false;
  #running: Promise<void> | undefined;
  #failure: unknown;

  constructor(
    private readonly client: Client,
    /** A share of waits this client gives up on after a few ms (notifications/cancelled), seeded. */
    private readonly giveUp: { share: number; random: () => number } = { share: 0, random: Math.random },
  ) {}

  /** Waits given up on (their messages must go to a later wait). */
  abandonedWaits = 0;

  start(): this {
    this.#running = this.#loop().catch((error: unknown) => void (this.#failure ??= error));
    return this;
  }

  /** Stops taking messages and lets the acks in flight finish; throws what went wrong meanwhile, if anything. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
    while (this.#acks.size > 0) await Promise.all(this.#acks);
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Stops at once, leaving calls in flight to fail (the server is being killed). */
  abandon(): void {
    this.#stopped = true;
    this.#abandoned = true;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let result;
      const giveUp = this.giveUp.share > 0 && this.giveUp.random() < this.giveUp.share ? new AbortController() : undefined;
      const cancelGiveUp = giveUp ? this.#scheduleGiveUp(giveUp) : undefined;
      try {
        result = await this.client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 0.5, max_messages: 50 } }, undefined, giveUp ? { signal: giveUp.signal } : {});
      } catch (error) {
        // A killed server closes the transport under pending calls: expected once abandoned, a failure otherwise.
        if (this.#abandoned) return;
        if (giveUp?.signal.aborted) {
          this.abandonedWaits++;
          continue;
        }
        throw error;
      } finally {
        cancelGiveUp?.();
      }
      if (this.#stopped) return;
      if (result.isError) {
        this.errors.push(`band_wait_for_message: ${JSON.stringify(result.content)}`);
        await sleep(50);
        continue;
      }
      for (const message of (result.structuredContent as { messages: Received[] }).messages) {
        this.received.set(message.id, (this.received.get(message.id) ?? 0) + 1);
        this.#track(this.#ack(message));
      }
      while (this.#acks.size >= ACKS_IN_FLIGHT) await Promise.race(this.#acks);
    }
  }

  /**
   * Half the give-ups come right after the request has left, before any answer can be back: so waits are given
   * up even in a run whose queue is never empty, where every wait is answered at once (seen under load: none in a
   * whole run). The other half come after up to 30 ms: a wait that was blocked, or one racing its own answer.
   */
  #scheduleGiveUp(giveUp: AbortController): () => void {
    if (this.giveUp.random() < 0.5) {
      const immediate = setImmediate(() => giveUp.abort());
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(() => giveUp.abort(), Math.floor(this.giveUp.random() * 30));
    return () => clearTimeout(timer);
  }

  #track(ack: Promise<void>): void {
    const tracked: Promise<void> = ack.catch((error: unknown) => void (this.#failure ??= error)).finally(() => this.#acks.delete(tracked));
    this.#acks.add(tracked);
  }

  /** Acks until Band confirms, or until the process is abandoned (its successor delivers the message again). */
  async #ack(message: Received): Promise<void> {
    while (!this.#abandoned) {
      let result;
      try {
        result = await this.client.callTool({ name: "band_mark_processed", arguments: { chat_id: message.chat_id, message_id: message.id } });
      } catch (error) {
        if (this.#abandoned) return;
        throw error;
      }
      if (!result.isError) return;
      this.ackRetried.add(message.id);
      this.errors.push(`band_mark_processed ${message.id}: ${JSON.stringify(result.content).slice(0, 300)}`);
      await sleep(RETRY_ACK_MS);
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
