import type { StatusReport } from "../inbox/live.js";

/**
 * What an agent's actions refuse, as typed facts: tools/errors.ts words them for a model, hub/errors.ts for an
 * HTTP caller.
 */

/** A send without recipients found nobody else in the room (Band delivers only to those a message mentions). */
export class NoRecipientsError extends Error {
  constructor(readonly chatId: string) {
    super(`nobody else is in chat ${chatId}`);
    this.name = "NoRecipientsError";
  }
}

/** Send-and-wait needs the live inbox, and this agent runs without it (BAND_LIVE=false). */
export class NoInboxError extends Error {
  constructor() {
    super("the live inbox is off (BAND_LIVE=false)");
    this.name = "NoInboxError";
  }
}

/**
 * Send-and-wait refused before sending: the inbox cannot receive the reply (another process holds the agent's
 * socket, or Band rejected the key). Carries the status's facts.
 */
export class RepliesUnreachableError extends Error {
  constructor(readonly status: Pick<StatusReport, "connection" | "detail" | "problem">) {
    super(`nothing was sent: the inbox cannot receive replies (${status.connection})`);
    this.name = "RepliesUnreachableError";
  }
}
