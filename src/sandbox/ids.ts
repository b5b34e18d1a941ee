import { randomBytes, randomUUID } from "node:crypto";

export const newId = (): string => randomUUID();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `band_a_…` (agent) or `band_u_…` (user) followed by 24 random alphanumerics, like Band's keys. */
export function newApiKey(kind: "agent" | "user"): string {
  const bytes = randomBytes(24);
  let tail = "";
  for (const byte of bytes) tail += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return `band_${kind === "agent" ? "a" : "u"}_${tail}`;
}

/** Per request, so cheap matters: randomUUID draws from a buffered entropy pool; randomBytes cost ~10 µs a call in bench profiles. */
export const newRequestId = (): string => `req_${randomUUID().replaceAll("-", "").slice(0, 20)}`;

/**
 * Band's timestamps carry microseconds (`2025-11-17T11:20:10.284136Z`). Every call returns a strictly later
 * instant than the one before, so "oldest first" orderings never depend on ties.
 */
export class Clock {
  #lastMicros = 0;
  /** The ISO prefix (…SS.mmm) of the last millisecond formatted: the bench calls now() ~3 times a message. */
  #millis = -1;
  #prefix = "";

  now(): string {
    const micros = Math.max(Date.now() * 1000, this.#lastMicros + 1);
    this.#lastMicros = micros;
    const millis = Math.floor(micros / 1000);
    if (millis !== this.#millis) {
      this.#millis = millis;
      this.#prefix = new Date(millis).toISOString().slice(0, -1); // …SS.mmm
    }
    return `${this.#prefix}${String(micros % 1000).padStart(3, "0")}Z`;
  }
}
