import { z } from "zod";
import type { StandbyState } from "./standby.js";

/** The live inbox as tools and resources see it. Implemented by inbox/view.ts, one view per consumer. */

/** A message as the inbox hands it out; InboxMessage is derived from it, and the tools' output schemas build on it. */
export const inboxMessageSchema = z.object({
  id: z.string(),
  chat_id: z.string(),
  chat_title: z.string().optional(),
  sender: z.object({ id: z.string(), name: z.string().optional(), handle: z.string().optional(), type: z.string() }),
  content: z.string(),
  message_type: z.string(),
  mentions: z.array(z.object({ id: z.string(), handle: z.string().optional(), name: z.string().optional() })),
  created_at: z.string(),
  /** Which hand-out this is, when known: a redelivery has a higher one. */
  attempt: z.number().int().optional(),
  /** Characters of `content` left out by the inbox's bound (absent when whole): the layer showing it says so. */
  cut_chars: z.number().int().optional(),
});

export type InboxMessage = z.infer<typeof inboxMessageSchema>;

/** A room the loop guard holds, as facts for band_status. */
export interface LoopHold {
  chat_id: string;
  /** Messages from agents in a row, with no person's message between, when the room was held. */
  agent_messages_in_a_row: number;
  /** Held messages queued here (unprocessed on Band), waiting for the release. */
  held: number;
}

/** What Band's agent.control has stopped, as facts for band_status: the whole agent and/or single chats, each with
 *  Band's reason when it gave one. */
export interface Stopped {
  agent?: { reason?: string };
  chats: { chat_id: string; reason?: string }[];
}

/** A chat whose backlog could not be read, as facts for band_status: what failed, and when the next try comes. */
export interface DrainFailure {
  chat_id: string;
  error: string;
  retry_in_seconds: number;
}

export type ConnectionState = "connected" | "connecting" | "disconnected" | "conflict" | "unauthorized" | "disabled";

/** Why the agent cannot use Band, as facts: band_status, the first-contact line and the hub word them. */
export type LinkProblem =
  | { reason: "key_rejected"; http_status: number; key_variable: string }
  | { reason: "band_unreachable"; error: string };

export interface StatusReport {
  ok: boolean;
  agent: { id: string; name: string; handle: string } | null;
  connection: ConnectionState;
  chats_joined: number;
  inbox: { pending: number; in_flight: number; delivered_total: number; dropped: number };
  reconnects: number;
  last_event_at: string | null;
  version: string;
  /** In conflict: standing by to take the socket over (attempts so far, next attempt's time). */
  standby?: StandbyState;
  /** Rooms the loop guard holds (agents answering each other), with what is held. */
  loop_guard?: LoopHold[];
  /** Band rejected the key or cannot be reached (facts; `detail` carries any other reason as text). */
  problem?: LinkProblem;
  /** Delivery Band has stopped (agent.control), when it has. */
  stopped?: Stopped;
  /** Chats whose backlog drain failed and is being retried. */
  drain_failures?: DrainFailure[];
  /** Claims that never landed at Band since the start (each was logged). */
  claim_failures?: number;
  /** Why the connection is not usable, when it is not. */
  detail?: string;
}

export interface WaitOptions {
  timeoutMs: number;
  chatId?: string;
  max: number;
  /** Aborted (the request was cancelled, its connection or session closed): the wait ends empty, and messages
   *  handed out at that very moment go back in front of the queue, in order, for the next waiter. */
  signal: AbortSignal;
  /** Called every few seconds while blocked, for progress notifications. */
  onTick?: (elapsedMs: number) => void;
  /** Only messages for which this returns true are taken (send-and-wait's reply filter). */
  accept?: (message: InboxMessage) => boolean;
}

export interface WaitResult {
  messages: InboxMessage[];
  timed_out: boolean;
  pending: number;
  /** Band's agent.control `interrupt` ended the wait (an empty, non-error result). */
  interrupted?: true;
}

export interface LiveInbox {
  wait(options: WaitOptions): Promise<WaitResult>;
  peek(chatId?: string): InboxMessage[];
  /** Handed out (to a wait or as a channel push) and not yet marked: claimed on Band, waiting for the model. */
  inFlight(chatId?: string): InboxMessage[];
  markProcessed(chatId: string, messageId: string, signal?: AbortSignal): Promise<{ id: string; status: string }>;
  markFailed(chatId: string, messageId: string, error: string, signal?: AbortSignal): Promise<{ id: string; status: string }>;
  status(): StatusReport;
}
