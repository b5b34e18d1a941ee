import type { StandbyState } from "./standby.js";

/**
 * What the live inbox refuses, as typed errors that know nothing of tools: tools/errors.ts words them for the
 * model.
 */

/** The inbox cannot deliver: another process holds the agent's socket (we stand by), or Band rejected the key. */
export class InboxOffError extends Error {
  constructor(
    readonly reason: "conflict" | "unauthorized",
    readonly detail: string | undefined,
    readonly standby?: StandbyState,
  ) {
    super(`the live inbox is off (${reason})${detail ? `: ${detail}` : ""}`);
    this.name = "InboxOffError";
  }
}

/** A wait on a chat Band says the agent is not in. */
export class UnknownChatError extends Error {
  constructor(readonly chatId: string) {
    super(`not in a chat with id ${chatId}`);
    this.name = "UnknownChatError";
  }
}
