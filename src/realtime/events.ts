import { z } from "zod";
import type { TopicKind } from "./topics.js";

/**
 * Payloads of the agent socket's events (PROTOCOL.md §5.5). Only what we use is required; everything else
 * passes through, so Band adding fields never breaks us. A payload that fails is logged and skipped.
 */

const mention = z.looseObject({ id: z.string(), handle: z.string().nullish(), name: z.string().nullish(), username: z.string().nullish() });

/** Per recipient agent: where this message stands in its processing (PROTOCOL.md §4.1, §6). */
const deliveryStatus = z.record(
  z.string(),
  z.looseObject({ status: z.string().nullish(), current_attempt: z.number().int().nullish() }).nullish(),
);

export const messageCreated = z.looseObject({
  id: z.string().min(1),
  content: z.string(),
  message_type: z.string(),
  sender_id: z.string(),
  sender_type: z.string(),
  sender_name: z.string().nullish(),
  chat_room_id: z.string().nullish(),
  metadata: z.looseObject({ mentions: z.array(mention).nullish(), delivery_status: deliveryStatus.nullish() }).nullish(),
  inserted_at: z.string(),
  updated_at: z.string().nullish(),
});
export type BandMessage = z.infer<typeof messageCreated>;

const messageUpdated = z.looseObject({
  id: z.string().min(1),
  metadata: z.looseObject({ delivery_status: deliveryStatus.nullish() }).nullish(),
});

const roomAdded = z.looseObject({ id: z.string().min(1), title: z.string().nullish() });
const roomGone = z.looseObject({ id: z.string().min(1) });

export const participant = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  type: z.string(),
  handle: z.string().nullish(),
  role: z.string().optional(),
});

const supersede = z.looseObject({
  reason: z.string().nullish(),
  message: z.string().nullish(),
  retryable: z.boolean().nullish(),
  retry_after: z.number().nonnegative().nullish(),
});

const agentControl = z.looseObject({
  mode: z.enum(["interrupt", "stop", "play"]),
  scope: z.enum(["agent", "room"]).nullish(),
  room_id: z.string().nullish(),
  reason: z.string().nullish(),
  correlation_id: z.string().nullish(),
});

/** Where a message stands for one agent, read from `metadata.delivery_status`. */
export interface Delivery {
  status?: string;
  attempt?: number;
}

/** Every socket event the live side acts on, typed; anything else is `ignored`. */
export type BandEvent =
  | { type: "message_created"; roomId: string; message: BandMessage }
  | { type: "message_updated"; roomId: string; messageId: string; deliveries: Record<string, Delivery> }
  | { type: "room_added"; roomId: string; title?: string }
  | { type: "room_gone"; roomId: string }
  | { type: "participant_added"; roomId: string; participant: z.infer<typeof participant> }
  | { type: "participant_removed"; roomId: string; participantId: string }
  | { type: "supersede"; reason: string; retryable: boolean; retryAfterSeconds?: number }
  | { type: "agent_control"; mode: "interrupt" | "stop" | "play"; roomId?: string; reason?: string; correlationId?: string }
  | { type: "ignored" };

/** The events about rooms, their participants and their messages. */
export type RoomEvent = Extract<BandEvent, { type: "message_created" | "room_added" | "room_gone" | "participant_added" | "participant_removed" }>;

/** What the link hands on: everything but what it handles itself (supersede) or drops (ignored). */
export type LiveEvent = Exclude<BandEvent, { type: "supersede" | "ignored" }>;

export type Parsed = { ok: true; event: BandEvent } | { ok: false; issue: string };

/** One parser per event name; the topic says which room an event belongs to where the payload does not. */
const PARSERS: Record<string, (payload: unknown, topicId: string, kind: TopicKind) => Parsed> = {
  message_created: (p, id) =>
    isWellFormedMessage(p) ? { ok: true, event: { type: "message_created", roomId: id, message: p } } : parse(messageCreated, p, (message) => ({ type: "message_created", roomId: id, message })),
  message_updated: (p, id) =>
    parse(messageUpdated, p, (m) => ({ type: "message_updated", roomId: id, messageId: m.id, deliveries: deliveriesOf(m.metadata?.delivery_status) })),
  room_added: (p) => parse(roomAdded, p, (r) => ({ type: "room_added", roomId: r.id, ...(r.title ? { title: r.title } : {}) })),
  room_removed: (p) => parse(roomGone, p, (r) => ({ type: "room_gone", roomId: r.id })),
  // On room_participants the topic names the room; on agent_rooms the payload does.
  room_deleted: (p, id, kind) => parse(roomGone, p, (r) => ({ type: "room_gone", roomId: kind === "participants" ? id : r.id })),
  participant_added: (p, id) => parse(participant, p, (participant) => ({ type: "participant_added", roomId: id, participant })),
  participant_removed: (p, id) => parse(roomGone, p, (r) => ({ type: "participant_removed", roomId: id, participantId: r.id })),
  supersede: (p) =>
    parse(supersede, p ?? {}, (s) => ({
      type: "supersede",
      reason: s.reason ?? s.message ?? "supersede",
      retryable: s.retryable === true,
      ...(s.retry_after != null ? { retryAfterSeconds: s.retry_after } : {}),
    })),
  "agent.control": (p) =>
    parse(agentControl, p, (c) => ({
      type: "agent_control",
      mode: c.mode,
      // Band's SDKs route by room_id, not scope: Band sends {scope: "agent", room_id} for one room (PROTOCOL.md §5.5).
      ...(c.room_id ? { roomId: c.room_id } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.correlation_id ? { correlationId: c.correlation_id } : {}),
    })),
};

export function parseBandEvent(kind: TopicKind, topicId: string, event: string, payload: unknown): Parsed {
  // Own keys only: Band names the event, and "constructor" or "toString" must not find Object.prototype's members.
  const parser = Object.hasOwn(PARSERS, event) ? PARSERS[event] : undefined;
  return parser ? parser(payload, topicId, kind) : { ok: true, event: { type: "ignored" } };
}

/**
 * The socket's hot path: a message the schema above surely accepts, checked by hand and used as is. zod copies
 * every object it checks (loose objects key by key), which cost as much CPU per pushed message as the inbox
 * itself. Anything this does not recognise goes through the schema, which accepts or explains it; a test holds
 * the two to the same verdict.
 */
export function isWellFormedMessage(p: unknown): p is BandMessage {
  if (!isObject(p)) return false;
  if (typeof p.id !== "string" || p.id === "" || typeof p.content !== "string" || typeof p.message_type !== "string") return false;
  if (typeof p.sender_id !== "string" || typeof p.sender_type !== "string" || typeof p.inserted_at !== "string") return false;
  if (!isTextOrNone(p.sender_name) || !isTextOrNone(p.chat_room_id) || !isTextOrNone(p.updated_at)) return false;
  const metadata = p.metadata;
  if (metadata == null) return true;
  if (!isObject(metadata)) return false;
  const { mentions, delivery_status: deliveries } = metadata;
  if (mentions != null) {
    if (!Array.isArray(mentions)) return false;
    for (const m of mentions) if (!isObject(m) || typeof m.id !== "string" || !isTextOrNone(m.handle) || !isTextOrNone(m.name) || !isTextOrNone(m.username)) return false;
  }
  if (deliveries != null) {
    if (!isObject(deliveries)) return false;
    for (const key in deliveries) {
      if (!Object.hasOwn(deliveries, key)) continue;
      const d = deliveries[key];
      if (d == null) continue;
      if (!isObject(d) || !isTextOrNone(d.status) || !(d.current_attempt == null || Number.isSafeInteger(d.current_attempt))) return false;
    }
  }
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isTextOrNone = (v: unknown) => v == null || typeof v === "string";

function parse<S extends z.ZodType>(schema: S, payload: unknown, build: (data: z.infer<S>) => BandEvent): Parsed {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, event: build(result.data) };
  const issue = result.error.issues[0];
  return { ok: false, issue: issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid" };
}

export function deliveriesOf(raw: z.infer<typeof deliveryStatus> | null | undefined): Record<string, Delivery> {
  // Keys are agent ids from Band: on a plain object, "__proto__" would set the prototype instead of a field.
  const out: Record<string, Delivery> = Object.create(null) as Record<string, Delivery>;
  for (const [agentId, entry] of Object.entries(raw ?? {})) {
    if (!entry) continue;
    out[agentId] = { ...(entry.status ? { status: entry.status } : {}), ...(entry.current_attempt != null ? { attempt: entry.current_attempt } : {}) };
  }
  return out;
}
