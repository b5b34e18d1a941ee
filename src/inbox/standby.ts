import { backoff } from "../backoff.js";

/** A supersede's retry_after is honoured up to this long (Band's word, but bounded like every wait). */
const MAX_RETRY_AFTER_MS = 300_000;

/** Where a standby stands, as facts for band_status and health. */
export interface StandbyState {
  /** Attempts to take the socket so far, refused because another process holds it. */
  attempts: number;
  /** When the next attempt is due (ISO time). */
  next_attempt_at: string;
}

/**
 * Standing by while another process holds the agent's one socket (docs/delivery.md guarantee 5): one timer that tries
 * again with backoff capped at `maxMs` (BAND_STANDBY_SECONDS), never sooner than a supersede's `retry_after`.
 * The attempt itself is the caller's (a fresh socket with on_conflict=reject), so the holder is never fought.
 */
export class Standby {
  #attempts = 0;
  #nextAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delays: { baseMs: number; maxMs: number },
    private readonly attempt: () => void,
  ) {}

  /** Standing by now: the attempts so far and when the next one is due. */
  get state(): StandbyState | undefined {
    return this.#nextAt === undefined ? undefined : { attempts: this.#attempts, next_attempt_at: new Date(this.#nextAt).toISOString() };
  }

  /** Schedules the next attempt; `atLeastMs` is a supersede's retry_after. Returns the delay. */
  schedule(atLeastMs = 0): number {
    clearTimeout(this.#timer);
    this.#attempts++;
    const delay = Math.max(Math.min(atLeastMs, MAX_RETRY_AFTER_MS), backoff(this.#attempts, this.delays.baseMs, this.delays.maxMs));
    this.#nextAt = Date.now() + delay;
    // While the attempt is under way (its socket not yet refused or accepted) we still stand by: the state keeps
    // saying so, with the attempt's own time, until the next schedule or the reset.
    this.#timer = setTimeout(this.attempt, delay);
    this.#timer.unref();
    return delay;
  }

  /** The socket is ours (or we are closing): no more attempts, and the next standby starts from the first delay. */
  reset(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#attempts = 0;
    this.#nextAt = undefined;
  }
}
