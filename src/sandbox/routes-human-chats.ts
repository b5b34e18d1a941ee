/** The human API's rooms (`/api/v1/me/chats/*`): listing and creating them, their messages and participants. */
import { forbidden, invalid } from "./errors.js";
import { recipientsOf, validateMessage } from "./mentions.js";
import { cursorMetadata, pageSlice, readPagination } from "./pagination.js";
import { firstAfter } from "./queues.js";
import { created, ok, queryEnum, wrapped, type Ctx, type Reply, type Router } from "./router.js";
import { compare, DEPRECATED_PAGING, listReply, participantRequest, removeParticipant, roomOf, validTaskId, validTitle } from "./routes-shared.js";
import * as shape from "./shapes.js";
import type { MessageRecord, RoomRecord } from "./store.js";

const M = "/api/v1/me";
/** Message types that exist on Band but are never shown on `/me`. */
const INTERNAL_TYPES = new Set(["system", "action", "guidelines"]);
const MESSAGE_TYPES = ["text", "tool_call", "tool_result", "thought", "error", "task", "attention"] as const;

/** Newest first, any non-internal type; cursors hold the last message's sequence. */
function humanMessages(ctx: Ctx, room: RoomRecord): Reply {
  const messageType = queryEnum(ctx, "message_type", MESSAGE_TYPES);
  const since = ctx.query.since;
  if (since !== undefined && Number.isNaN(Date.parse(since))) throw invalid("/since", "is not a valid date-time");
  if (since !== undefined && ctx.query.cursor !== undefined) throw invalid("/since", "cannot be combined with cursor");
  const sinceMs = since === undefined ? undefined : Date.parse(since);
  const keep = (m: MessageRecord) =>
    !INTERNAL_TYPES.has(m.messageType) && (messageType === undefined || m.messageType === messageType) && (sinceMs === undefined || Date.parse(m.insertedAt) >= sinceMs);
  const scope = `me-messages:${room.id}`;
  const request = readPagination(ctx.query, scope, { defaultLimit: 20 });
  if (request.mode === "page") {
    const all = room.messages.filter(keep).reverse();
    const { data, metadata } = pageSlice(all, request);
    const hasMore = request.page * request.pageSize < all.length;
    return { status: 200, body: { data: data.map(shape.chatMessage), metadata: { has_more: hasMore, limit: request.pageSize, next_cursor: null, ...metadata } }, headers: DEPRECATED_PAGING };
  }
  const page: MessageRecord[] = [];
  let nextBefore: number | undefined;
  const start = request.after === undefined ? room.messages.length : firstAfter(room.messages, request.after - 1);
  for (let i = start - 1; i >= 0; i--) {
    const message = room.messages[i]!;
    if (!keep(message)) continue;
    if (page.length === request.limit) {
      nextBefore = page[page.length - 1]!.seq;
      break;
    }
    page.push(message);
  }
  return ok(
    page.map(shape.chatMessage),
    { metadata: cursorMetadata(request.limit, scope, nextBefore) },
  );
}

export function humanChatRoutes(router: Router): void {
  router
    .on("GET", `${M}/chats`, (ctx) => {
      const status = queryEnum(ctx, "status", ["active", "archived", "closed"] as const);
      const type = queryEnum(ctx, "type", ["direct", "group", "task"] as const);
      const sortBy = queryEnum(ctx, "sort_by", ["inserted_at", "updated_at"] as const) ?? "inserted_at";
      const order = queryEnum(ctx, "order", ["asc", "desc"] as const) ?? "desc";
      const rooms = [...ctx.store.roomsOf(ctx.actor.id)]
        .map((id) => ctx.store.requireRoom(id))
        .filter((r) => (status === undefined || r.status === status) && (type === undefined || r.type === type))
        .sort((a, b) => compare(sortBy === "inserted_at" ? a.insertedAt : a.updatedAt, sortBy === "inserted_at" ? b.insertedAt : b.updatedAt) * (order === "asc" ? 1 : -1))
        .map(shape.meChatRoom);
      return listReply(ctx, rooms, `chats:${sortBy}:${order}`);
    })

    .on("POST", `${M}/chats`, (ctx) => {
      const chat = wrapped(ctx.body, "chat");
      const title = validTitle(chat.title, "/chat/title", true);
      const taskId = validTaskId(chat.task_id, "/chat/task_id");
      return created(shape.meChatRoom(ctx.store.createRoom({ ownerId: ctx.actor.id, title, taskId })));
    })

    .on("GET", `${M}/chats/{id}`, (ctx) => ok(shape.meChatRoom(roomOf(ctx, "id"))))

    .on("GET", `${M}/chats/{chat_id}/messages`, (ctx) => humanMessages(ctx, roomOf(ctx)))

    .on("POST", `${M}/chats/{chat_id}/messages`, (ctx) => {
      const room = roomOf(ctx);
      const { content, mentions } = validateMessage(ctx.store, room, ctx.actor, ctx.body);
      const message = ctx.store.createMessage({ room, sender: ctx.actor, content, mentions });
      return created({ id: message.id, success: true, recipients: recipientsOf(mentions) });
    })

    .on("GET", `${M}/chats/{chat_id}/participants`, (ctx) => {
      const room = roomOf(ctx);
      const type = queryEnum(ctx, "participant_type", ["User", "Agent"] as const);
      const list = [...room.participants.values()]
        .map((p) => ({ p, actor: ctx.store.requireActor(p.actorId) }))
        .filter(({ actor }) => type === undefined || actor.type === type)
        .map(({ p, actor }) => shape.participantDetails(actor, p));
      return listReply(ctx, list, `participants:${room.id}`);
    })

    // Owners and admins add their own agents, global agents, people of the organization and contacts.
    .on("POST", `${M}/chats/{chat_id}/participants`, (ctx) => {
      const room = roomOf(ctx);
      const role = room.participants.get(ctx.actor.id)?.role;
      if (role !== "owner" && role !== "admin") throw forbidden("Not authorized to add participants");
      const { target, role: newRole } = participantRequest(ctx, room, wrapped(ctx.body, "participant"));
      const allowed = target.type === "User" || target.ownerId === ctx.actor.id || target.global || ctx.store.contacts.isContact(ctx.actor.id, target.id);
      if (!allowed) throw forbidden("Not authorized to add this participant");
      return created(shape.participant(target, ctx.store.addParticipant(room.id, target.id, newRole)));
    })

    .on("DELETE", `${M}/chats/{chat_id}/participants/{id}`, removeParticipant);
}
