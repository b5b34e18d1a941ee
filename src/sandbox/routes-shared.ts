/** Pieces the agent and human route tables share: room lookup, titles, participants, message pages and lists. */
import { forbidden, invalid, notFound } from "./errors.js";
import { isUuid } from "./ids.js";
import { cursorMetadata, pageMetadata, paginate, readPagination } from "./pagination.js";
import { ok, pathUuid, type Ctx, type Reply } from "./router.js";
import { firstAfter } from "./queues.js";
import { chatMessage, participant as participantShape } from "./shapes.js";
import type { ActorRecord, MessageRecord, Role, RoomRecord } from "./store.js";

export const ROLES: readonly Role[] = ["owner", "admin", "member"];

/** Headers Band adds when a cursor endpoint is paged with the deprecated `page`/`page_size`. */
export const DEPRECATED_PAGING = { Deprecation: "true", Sunset: "Thu, 01 Oct 2026 00:00:00 GMT" };

/** The room named by a path parameter, if the caller participates in it (404 otherwise). */
export const roomOf = (ctx: Ctx, param = "chat_id"): RoomRecord => ctx.store.visibleRoom(ctx.actor.id, pathUuid(ctx, param));

/**
 * A chat title: trimmed, 1..120 characters, no control characters (the spec names newline, carriage
 * return and NUL). `null`/blank is allowed only where the caller says so (create: untitled room).
 */
export function validTitle(raw: unknown, pointer: string, allowBlank: boolean): string | null {
  if (raw === undefined || raw === null) {
    if (allowBlank) return null;
    throw invalid(pointer, "can't be blank");
  }
  if (typeof raw !== "string") throw invalid(pointer, "must be a string");
  const title = raw.trim();
  if (title === "") {
    if (allowBlank) return null;
    throw invalid(pointer, "can't be blank");
  }
  if (title.length > 120) throw invalid(pointer, "should be at most 120 character(s)");
  if (/[\u0000-\u001f\u007f]/.test(title)) throw invalid(pointer, "must not contain control characters");
  return title;
}

export function validTaskId(raw: unknown, pointer: string): string | null {
  if (raw === undefined || raw === null) return null;
  if (!isUuid(raw)) throw invalid(pointer, "is not a valid UUID");
  return raw;
}

/** `{participant: {participant_id, role?}}`, checked up to the point where the target must exist. */
export function participantRequest(ctx: Ctx, room: RoomRecord, participant: Record<string, unknown>): { target: ActorRecord; role: Role } {
  const { participant_id: id, role = "member" } = participant;
  if (!isUuid(id)) throw invalid("/participant/participant_id", "is not a valid UUID");
  if (!(ROLES as readonly unknown[]).includes(role)) throw invalid("/participant/role", "must be owner, admin or member");
  const target = ctx.store.actor(id);
  if (!target) throw notFound("Participant not found");
  if (room.participants.has(id)) throw invalid("/participant/participant_id", "is already a participant of this chat room");
  return { target, role: role as Role };
}

/** DELETE …/chats/{chat_id}/participants/{id}, the same for agents and people. */
export function removeParticipant(ctx: Ctx): Reply {
  const room = roomOf(ctx);
  const target = removableParticipant(ctx, room);
  return ok(participantShape(target, ctx.store.removeParticipant(room.id, target.id)));
}

/** Removal needs an owner or admin, and a room never loses its last owner. */
function removableParticipant(ctx: Ctx, room: RoomRecord): ActorRecord {
  const role = room.participants.get(ctx.actor.id)?.role;
  if (role !== "owner" && role !== "admin") throw forbidden("Not authorized to remove participants");
  const targetId = pathUuid(ctx, "id");
  const target = room.participants.get(targetId);
  if (!target) throw notFound("Participant not found");
  const owners = [...room.participants.values()].filter((p) => p.role === "owner");
  if (target.role === "owner" && owners.length === 1) throw forbidden("Cannot remove the only owner of a chat room", "cannot_remove_sole_owner");
  return ctx.store.requireActor(targetId);
}

/**
 * An oldest-first message list in either pagination family. Cursors hold the last message's sequence, so a
 * list that shrinks between pages (messages marked processed while draining) never skips anything.
 */
export function messagePage(
  ctx: Ctx,
  scope: string,
  defaultLimit: number,
  cursorPage: (limit: number, afterSeq: number | undefined) => { items: MessageRecord[]; nextAfter?: number },
  everything: () => readonly MessageRecord[],
  extraMetadata: Record<string, unknown> = {},
): Reply {
  const request = readPagination(ctx.query, scope, { defaultLimit });
  const toJson = (items: readonly MessageRecord[]) => items.map(chatMessage);
  if (request.mode === "page") {
    const all = everything();
    const start = (request.page - 1) * request.pageSize;
    const metadata = {
      has_more: start + request.pageSize < all.length,
      limit: request.pageSize,
      next_cursor: null,
      ...pageMetadata(request, all.length),
      ...extraMetadata,
    };
    return { status: 200, body: { data: toJson(all.slice(start, start + request.pageSize)), metadata }, headers: DEPRECATED_PAGING };
  }
  const { items, nextAfter } = cursorPage(request.limit, request.after);
  return { status: 200, body: { data: toJson(items), metadata: { ...cursorMetadata(request.limit, scope, nextAfter), ...extraMetadata } } };
}

/** A cursor page over an ascending-by-seq array. */
export function seqSlice(items: readonly MessageRecord[], limit: number, afterSeq: number | undefined): { items: MessageRecord[]; nextAfter?: number } {
  const start = afterSeq === undefined ? 0 : firstAfter(items, afterSeq);
  const page = items.slice(start, start + limit);
  return start + limit < items.length ? { items: page, nextAfter: page[page.length - 1]!.seq } : { items: page };
}

/** A list in either pagination family, with both metadata shapes (the spec's transition behaviour). */
export function listReply<T>(ctx: Ctx, items: readonly T[], scope: string, defaultLimit = 20): Reply {
  const request = readPagination(ctx.query, scope, { defaultLimit });
  const { data, metadata } = paginate(items, request, scope);
  const offset = request.mode === "page" ? (request.page - 1) * request.pageSize : (request.after ?? 0);
  const size = request.mode === "page" ? request.pageSize : request.limit;
  const pageFields = {
    page: Math.floor(offset / size) + 1,
    page_size: size,
    total_count: items.length,
    total_pages: Math.max(1, Math.ceil(items.length / size)),
  };
  return { status: 200, body: { data, metadata: { ...pageFields, ...metadata } }, ...(request.mode === "page" ? { headers: DEPRECATED_PAGING } : {}) };
}

/** Ascending order of two sort keys. */
export const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
