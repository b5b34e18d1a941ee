/** The 35 operations of Band's Agent API (`/api/v1/agent/*`), as spec/openapi.json and PROTOCOL.md §2.1 describe them. */
import { badRequest, forbidden, invalid, notFound } from "./errors.js";
import { validateMessage, recipientsOf } from "./mentions.js";
import { pageSlice, readPage } from "./pagination.js";
import { bodyObject, created, noContent, ok, pathUuid, queryEnum, wrapped, type Ctx, type Router } from "./router.js";
import { agentWorkRoutes } from "./routes-agent-work.js";
import { messagePage, participantRequest, removeParticipant, roomOf, seqSlice, validTaskId, validTitle } from "./routes-shared.js";
import * as shape from "./shapes.js";
import type { ActorRecord, AttemptRecord, MessageRecord, QueueFilter } from "./store.js";

const A = "/api/v1/agent";
const STATUS_FILTERS = ["pending", "processing", "processed", "failed", "all"] as const;
const EVENT_TYPES = ["tool_call", "tool_result", "thought", "error", "task", "attention"] as const;
const MAX_EVENT_CONTENT = 16_384;
const MAX_EVENT_METADATA_BYTES = 65_536;

/** MessageStatusResponse: what this call did to the attempt it opened or closed. */
const statusResponse = (message: MessageRecord, { attempt }: { attempt: AttemptRecord }) => ({
  id: message.id,
  status: attempt.status === "success" ? "processed" : attempt.status,
  attempt_number: attempt.attempt_number,
  success: true,
});

/** Who an agent may see as peers: its owner, its siblings and global agents (registry), then its contacts. */
function agentPeers(ctx: Ctx): { actor: ActorRecord; source: "registry" | "contact" }[] {
  const me = ctx.actor;
  const registry = [...ctx.store.actors.values()].filter(
    (a) => a.id !== me.id && (a.id === me.ownerId || (a.type === "Agent" && ((me.ownerId !== undefined && a.ownerId === me.ownerId) || a.global))),
  );
  const listed = new Set(registry.map((a) => a.id));
  const contacts = ctx.store.contacts
    .contactsOf(me.id)
    .map((c) => ctx.store.actor(c.contactId))
    .filter((a): a is ActorRecord => a !== undefined && !listed.has(a.id));
  return [...registry.map((actor) => ({ actor, source: "registry" as const })), ...contacts.map((actor) => ({ actor, source: "contact" as const }))];
}

export function agentRoutes(router: Router): void {
  router
    .on("GET", `${A}/me`, (ctx) => ok(shape.agentMe(ctx.actor)))

    .on("GET", `${A}/peers`, (ctx) => {
      const notInChat = ctx.query.not_in_chat;
      const peers = agentPeers(ctx)
        .filter(({ actor }) => notInChat === undefined || !ctx.store.isParticipant(notInChat, actor.id))
        .map(({ actor, source }) => shape.peer(actor, source, ctx.store.contacts.isContact(ctx.actor.id, actor.id)));
      const { data, metadata } = pageSlice(peers, readPage(ctx.query));
      return ok(data, { metadata });
    });

  contactRoutes(router);
  chatRoutes(router);
  messageRoutes(router);
  participantRoutes(router);
  agentWorkRoutes(router);
}

function contactRoutes(router: Router): void {
  router
    .on("POST", `${A}/contacts/add`, (ctx) => {
      const body = bodyObject(ctx.body);
      const message = typeof body.message === "string" ? body.message : null;
      const request = ctx.store.contacts.request(ctx.actor, body.handle, message, true);
      return created({ id: request.id, status: request.status });
    })

    .on("GET", `${A}/contacts/requests`, (ctx) => {
      const page = readPage(ctx.query);
      const sentStatus = queryEnum(ctx, "sent_status", ["pending", "approved", "rejected", "cancelled", "all"] as const) ?? "pending";
      const received = ctx.store.contacts.received(ctx.actor.id).filter((r) => r.status === "pending");
      const sent = ctx.store.contacts.sent(ctx.actor.id).filter((r) => sentStatus === "all" || r.status === sentStatus);
      const receivedPage = pageSlice(received, page);
      const sentPage = pageSlice(sent, page);
      return ok(
        { received: receivedPage.data.map((r) => shape.receivedRequest(ctx.store, r)), sent: sentPage.data.map((r) => shape.sentRequest(ctx.store, r)) },
        {
          metadata: {
            page: page.page,
            page_size: page.pageSize,
            received: { total: received.length, total_pages: receivedPage.metadata.total_pages },
            sent: { total: sent.length, total_pages: sentPage.metadata.total_pages },
          },
        },
      );
    })

    .on("POST", `${A}/contacts/requests/respond`, (ctx) => {
      const { action, handle, request_id: requestId } = bodyObject(ctx.body);
      if (action !== "approve" && action !== "reject" && action !== "cancel") throw badRequest('action must be "approve", "reject" or "cancel"');
      if (handle === undefined && requestId === undefined) throw badRequest("Provide handle or request_id");
      const contacts = ctx.store.contacts;
      let id = typeof requestId === "string" ? requestId : undefined;
      if (id === undefined) {
        // approve/reject name the requester; cancel names the recipient.
        const other = contacts.resolve(handle);
        const list = action === "cancel" ? contacts.sent(ctx.actor.id) : contacts.received(ctx.actor.id);
        const found = list.find((r) => r.status === "pending" && (action === "cancel" ? r.recipientId : r.requesterId) === other.id);
        if (!found) throw notFound("No pending contact request for that handle");
        id = found.id;
      }
      const request = contacts.actionable(ctx.actor, id, action);
      const status = action === "approve" ? "approved" : action === "reject" ? "rejected" : "cancelled";
      return ok({ id: contacts.respond(request, status).id, status });
    })

    .on("GET", `${A}/contacts`, (ctx) => {
      const list = ctx.store.contacts.contactsOf(ctx.actor.id).map((c) => shape.agentContact(c, ctx.store.requireActor(c.contactId)));
      const { data, metadata } = pageSlice(list, readPage(ctx.query));
      return ok(data, { metadata });
    })

    .on("POST", `${A}/contacts/remove`, (ctx) => {
      const body = bodyObject(ctx.body);
      ctx.store.contacts.remove(ctx.actor, { handle: body.handle, contactId: body.contact_id });
      return ok({ status: "removed" });
    });
}

function chatRoutes(router: Router): void {
  router
    .on("GET", `${A}/chats`, (ctx) => {
      const rooms = [...ctx.store.roomsOf(ctx.actor.id)].map((id) => shape.chatRoom(ctx.store.requireRoom(id)));
      const { data, metadata } = pageSlice(rooms, readPage(ctx.query));
      return ok(data, { metadata });
    })

    // The spec requires `{chat: {…}}`; Band's docs show `{}` as valid too, so both are accepted.
    .on("POST", `${A}/chats`, (ctx) => {
      const body = bodyObject(ctx.body);
      const chat = body.chat === undefined ? {} : wrapped(body, "chat");
      const title = validTitle(chat.title, "/chat/title", true);
      const taskId = validTaskId(chat.task_id, "/chat/task_id");
      return created(shape.chatRoom(ctx.store.createRoom({ ownerId: ctx.actor.id, title, taskId })));
    })

    .on("GET", `${A}/chats/{id}`, (ctx) => ok(shape.chatRoom(roomOf(ctx, "id"))))

    .on("PATCH", `${A}/chats/{id}`, (ctx) => {
      const room = roomOf(ctx, "id");
      if (room.participants.get(ctx.actor.id)?.role !== "owner") throw forbidden("Only the room owner can rename this chat room");
      const title = validTitle(wrapped(ctx.body, "chat").title, "/chat/title", false)!;
      ctx.store.renameRoom(room, title);
      return ok(shape.chatRoom(room));
    })

    .on("POST", `${A}/chats/{chat_id}/activity`, (ctx) => {
      const room = roomOf(ctx);
      const { working } = bodyObject(ctx.body);
      if (typeof working !== "boolean") throw invalid("/working", "must be a boolean");
      ctx.store.reportActivity(ctx.actor.id, room.id, working);
      return ok({ working });
    });
}

function messageRoutes(router: Router): void {
  router
    .on("GET", `${A}/chats/{chat_id}/messages`, (ctx) => {
      const room = roomOf(ctx);
      const status = queryEnum(ctx, "status", STATUS_FILTERS);
      const filter: QueueFilter = status ?? "unprocessed";
      const agentId = ctx.actor.id;
      return messagePage(
        ctx,
        `messages:${room.id}`,
        20,
        (limit, after) => ctx.store.queues.list(agentId, room.id, filter, limit, after),
        () => ctx.store.queues.matching(agentId, room.id, filter),
        { status_filter: status ?? null },
      );
    })

    .on("POST", `${A}/chats/{chat_id}/messages`, (ctx) => {
      const room = roomOf(ctx);
      const { content, mentions } = validateMessage(ctx.store, room, ctx.actor, ctx.body);
      const message = ctx.store.createMessage({ room, sender: ctx.actor, content, mentions });
      return created({ id: message.id, success: true, recipients: recipientsOf(mentions) });
    })

    .on("GET", `${A}/chats/{chat_id}/messages/next`, (ctx) => {
      const room = roomOf(ctx);
      const next = ctx.store.queues.next(ctx.actor.id, room.id);
      return next ? ok(shape.chatMessage(next)) : noContent();
    })

    .on("POST", `${A}/chats/{chat_id}/messages/{id}/processing`, (ctx) => {
      const message = ctx.store.messageIn(roomOf(ctx), pathUuid(ctx, "id"));
      return ok(statusResponse(message, ctx.store.markProcessing(message, ctx.actor.id)));
    })

    .on("POST", `${A}/chats/{chat_id}/messages/{id}/processed`, (ctx) => {
      const message = ctx.store.messageIn(roomOf(ctx), pathUuid(ctx, "id"));
      return ok(statusResponse(message, ctx.store.completeAttempt(message, ctx.actor.id, {})));
    })

    .on("POST", `${A}/chats/{chat_id}/messages/{id}/failed`, (ctx) => {
      const message = ctx.store.messageIn(roomOf(ctx), pathUuid(ctx, "id"));
      const { error } = bodyObject(ctx.body);
      if (typeof error !== "string" || error.trim() === "") throw invalid("/error", "can't be blank");
      return ok(statusResponse(message, ctx.store.completeAttempt(message, ctx.actor.id, { error })));
    })

    .on("POST", `${A}/chats/{chat_id}/events`, (ctx) => {
      const room = roomOf(ctx);
      const event = wrapped(ctx.body, "event");
      const { content, message_type: messageType, metadata } = event;
      if (typeof content !== "string" || content.trim() === "") throw invalid("/event/content", "can't be blank");
      if (content.length > MAX_EVENT_CONTENT) throw invalid("/event/content", `should be at most ${MAX_EVENT_CONTENT} character(s)`);
      if (!(EVENT_TYPES as readonly unknown[]).includes(messageType)) throw invalid("/event/message_type", `must be one of ${EVENT_TYPES.join(", ")}`);
      if (metadata !== undefined && metadata !== null && (typeof metadata !== "object" || Array.isArray(metadata))) throw invalid("/event/metadata", "must be an object");
      if (metadata && Buffer.byteLength(JSON.stringify(metadata)) > MAX_EVENT_METADATA_BYTES) throw invalid("/event/metadata", `must serialize to at most ${MAX_EVENT_METADATA_BYTES} bytes`);
      const message = ctx.store.createMessage({
        room,
        sender: ctx.actor,
        content,
        messageType: messageType as string,
        metadata: (metadata as Record<string, unknown> | null | undefined) ?? {},
      });
      return created({ id: message.id, message_type: message.messageType, success: true });
    })

    .on("GET", `${A}/chats/{chat_id}/context`, (ctx) => {
      const room = roomOf(ctx);
      const context = ctx.store.queues.contextOf(ctx.actor.id, room.id);
      const reply = messagePage(
        ctx,
        `context:${room.id}`,
        50,
        (limit, after) => seqSlice(context, limit, after),
        () => context,
      );
      // The context response also carries the deprecated `meta` duplicate of `metadata`.
      const body = reply.body as { metadata: unknown };
      return { ...reply, body: { ...body, meta: body.metadata } };
    });
}

function participantRoutes(router: Router): void {
  router
    .on("GET", `${A}/chats/{chat_id}/participants`, (ctx) => {
      const room = roomOf(ctx);
      return ok([...room.participants.values()].map((p) => shape.participant(ctx.store.requireActor(p.actorId), p)));
    })

    .on("POST", `${A}/chats/{chat_id}/participants`, (ctx) => {
      const room = roomOf(ctx);
      const { target, role } = participantRequest(ctx, room, wrapped(ctx.body, "participant"));
      // Agents may recruit their owner, their siblings, global agents and their contacts.
      const me = ctx.actor;
      const allowed =
        target.id === me.ownerId ||
        (target.type === "Agent" && (target.global || (me.ownerId !== undefined && target.ownerId === me.ownerId))) ||
        ctx.store.contacts.isContact(me.id, target.id);
      if (!allowed) throw forbidden("Not authorized to add this participant");
      return created(shape.participant(target, ctx.store.addParticipant(room.id, target.id, role)));
    })

    .on("DELETE", `${A}/chats/{chat_id}/participants/{id}`, removeParticipant);
}
