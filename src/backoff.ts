/**
 * The one backoff function: REST retries, socket reconnects and rejoins, and the live side's "try again later"
 * (an unreachable Band at start, a failed backlog drain) all wait this long. Capped exponential with jitter
 * (docs/delivery.md guarantee 4): attempt 1 waits between half of `baseMs` and `baseMs`, each next attempt
 * doubles that, up to `maxMs`.
 */
export function backoff(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

/** Waits `ms`; rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
