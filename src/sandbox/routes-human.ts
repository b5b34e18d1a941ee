/**
 * The 29 operations of Band's Human API (`/api/v1/me/*`). Simpler than the agent side, but every answer has
 * the spec's shape and status.
 */
import { forbidden, invalid, notFound } from "./errors.js";
import { isUuid } from "./ids.js";
import { pageSlice, paginate, readPage, readPagination } from "./pagination.js";
import { bodyObject, created, noContent, ok, pathUuid, pick, queryEnum, wrapped, type Ctx, type Router } from "./router.js";
import { humanChatRoutes } from "./routes-human-chats.js";
import { compare, DEPRECATED_PAGING, listReply } from "./routes-shared.js";
import * as shape from "./shapes.js";
import type { ActorRecord } from "./store.js";

const M = "/api/v1/me";

export function humanRoutes(router: Router): void {
  profileRoutes(router);
  agentRoutes(router);
  contactRoutes(router);
  humanChatRoutes(router);
  memoryRoutes(router);
}

function profileRoutes(router: Router): void {
  router
    .on("GET", `${M}/profile`, (ctx) => ok(shape.userDetails(ctx.actor)))

    .on("PUT", `${M}/profile`, (ctx) => {
      const user = wrapped(ctx.body, "user");
      for (const field of ["first_name", "last_name"] as const) {
        if (user[field] !== undefined && typeof user[field] !== "string") throw invalid(`/user/${field}`, "must be a string");
      }
      const names = { firstName: user.first_name as string | undefined, lastName: user.last_name as string | undefined };
      return ok(shape.userDetails(ctx.store.actors.rename(ctx.actor, names)));
    });
}

function agentRoutes(router: Router): void {
  router
    .on("POST", `${M}/agents/register`, (ctx) => {
      const { name, description } = wrapped(ctx.body, "agent");
      if (typeof name !== "string" || name.trim() === "") throw invalid("/agent/name", "can't be blank");
      if (typeof description !== "string") throw invalid("/agent/description", "can't be blank");
      const agent = ctx.store.addAgent({ name: name.trim(), description, ownerId: ctx.actor.id });
      return created({
        agent: { id: agent.id, name: agent.name, description: agent.description, owner_id: ctx.actor.id, inserted_at: agent.insertedAt },
        credentials: { api_key: agent.key },
      });
    })

    .on("GET", `${M}/agents`, (ctx) => {
      const sort = queryEnum(ctx, "sort", ["name", "inserted_at", "updated_at"] as const) ?? "inserted_at";
      const order = queryEnum(ctx, "order", ["asc", "desc"] as const) ?? "desc";
      const bool = (name: string) => (ctx.query[name] === undefined ? undefined : ctx.query[name] === "true");
      const isExternal = bool("is_external");
      const listed = bool("listed_in_directory");
      const needle = ctx.query.name?.toLowerCase();
      const key = (a: ActorRecord) => (sort === "name" ? a.name.toLowerCase() : sort === "inserted_at" ? a.insertedAt : a.updatedAt);
      const agents = [...ctx.store.actors.values()]
        .filter((a) => a.type === "Agent" && a.ownerId === ctx.actor.id)
        .filter((a) => (needle === undefined || a.name.toLowerCase().includes(needle)) && (isExternal === undefined || a.isExternal === isExternal) && (listed === undefined || a.listedInDirectory === listed))
        .sort((a, b) => compare(key(a), key(b)) * (order === "asc" ? 1 : -1))
        .map(shape.myAgent);
      const reply = listReply(ctx, agents, `agents:${sort}:${order}`);
      const body = reply.body as { data: unknown; metadata: Record<string, unknown> };
      body.metadata.available_filters = [
        { label: "Name", param: "name", type: "string" },
        { label: "External", param: "is_external", type: "boolean" },
        { label: "Listed in directory", param: "listed_in_directory", type: "boolean" },
      ];
      body.metadata.sortable_fields = [
        { label: "Name", param: "name" },
        { label: "Created", param: "inserted_at" },
        { label: "Updated", param: "updated_at" },
      ];
      return reply;
    })

    // Deleting needs ?force=true once the agent has history (here: it is in any room).
    .on("DELETE", `${M}/agents/{id}`, (ctx) => {
      const agent = ctx.store.actor(pathUuid(ctx, "id"));
      if (!agent || agent.type !== "Agent") throw notFound("Agent not found");
      if (agent.ownerId !== ctx.actor.id) throw forbidden("Not your agent");
      const executions = ctx.store.roomsOf(agent.id).size;
      const force = ctx.query.force === "true";
      if (executions > 0 && !force) throw invalid("/force", "is required: the agent has execution history", "has_execution_history", "Agent has execution history; use ?force=true");
      ctx.store.deleteAgent(agent.id);
      return ok({ id: agent.id, name: agent.name, description: agent.description, executions_deleted: force ? executions : 0 });
    })

    .on("GET", `${M}/peers`, (ctx) => {
      const me = ctx.actor;
      const type = queryEnum(ctx, "type", ["User", "Agent"] as const);
      const notInChat = ctx.query.not_in_chat;
      const registry = [...ctx.store.actors.values()].filter((a) => a.id !== me.id && (a.type === "User" || a.ownerId === me.id || a.global));
      const listed = new Set(registry.map((a) => a.id));
      const contactsOnly = ctx.store.contacts
        .contactsOf(me.id)
        .map((c) => ctx.store.requireActor(c.contactId))
        .filter((a) => !listed.has(a.id));
      const peers = [...registry.map((a) => ({ a, source: "registry" as const })), ...contactsOnly.map((a) => ({ a, source: "contact" as const }))]
        .filter(({ a }) => (type === undefined || a.type === type) && (notInChat === undefined || !ctx.store.isParticipant(notInChat, a.id)))
        .map(({ a, source }) => shape.peer(a, source, ctx.store.contacts.isContact(me.id, a.id)));
      const { data, metadata } = pageSlice(peers, readPage(ctx.query));
      return ok(data, { metadata });
    });
}

function contactRoutes(router: Router): void {
  const requestAction = (action: "approve" | "reject" | "cancel", status: "approved" | "rejected" | "cancelled") => (ctx: Ctx) => {
    const contacts = ctx.store.contacts;
    const request = contacts.actionable(ctx.actor, pathUuid(ctx, "id"), action);
    return ok({ id: contacts.respond(request, status).id, status });
  };
  router
    .on("GET", `${M}/contacts`, (ctx) => {
      const list = ctx.store.contacts.contactsOf(ctx.actor.id).map((c) => shape.contact(c, ctx.store.requireActor(c.contactId)));
      const { data, metadata } = pageSlice(list, readPage(ctx.query));
      return ok(data, { metadata });
    })

    .on("POST", `${M}/contacts/remove`, (ctx) => {
      const body = bodyObject(ctx.body);
      ctx.store.contacts.remove(ctx.actor, { handle: body.handle, contactId: body.contact_id });
      return ok({ status: "removed" });
    })

    .on("POST", `${M}/contacts/resolve`, (ctx) => {
      const actor = ctx.store.contacts.resolve(bodyObject(ctx.body).handle);
      return ok({ name: actor.name, type: actor.type, handle: actor.handle });
    })

    .on("GET", `${M}/contacts/requests`, (ctx) => {
      const pending = ctx.store.contacts.received(ctx.actor.id).filter((r) => r.status === "pending");
      const { data, metadata } = pageSlice(pending, readPage(ctx.query));
      return ok(
        data.map((r) => shape.contactRequest(ctx.store, r)),
        { metadata },
      );
    })

    .on("POST", `${M}/contacts/requests`, (ctx) => {
      const request = wrapped(ctx.body, "contact_request");
      const message = request.message ?? null;
      if (message !== null && typeof message !== "string") throw invalid("/contact_request/message", "must be a string");
      if (typeof message === "string" && message.length > 500) throw invalid("/contact_request/message", "should be at most 500 character(s)");
      if (typeof request.recipient_handle !== "string") throw invalid("/contact_request/recipient_handle", "can't be blank");
      return created(shape.contactRequest(ctx.store, ctx.store.contacts.request(ctx.actor, request.recipient_handle, message, false)));
    })

    .on("GET", `${M}/contacts/requests/sent`, (ctx) => {
      const status = queryEnum(ctx, "status", ["all", "pending", "approved", "rejected", "cancelled"] as const) ?? "all";
      const sent = ctx.store.contacts.sent(ctx.actor.id).filter((r) => status === "all" || r.status === status);
      const { data, metadata } = pageSlice(sent, readPage(ctx.query));
      return ok(
        data.map((r) => shape.contactRequest(ctx.store, r)),
        { metadata },
      );
    })

    .on("POST", `${M}/contacts/requests/{id}/approve`, requestAction("approve", "approved"))
    .on("POST", `${M}/contacts/requests/{id}/reject`, requestAction("reject", "rejected"))
    .on("DELETE", `${M}/contacts/requests/{id}`, requestAction("cancel", "cancelled"));
}

function memoryRoutes(router: Router): void {
  const FILTERS = ["scope", "chat_room_id", "system", "type", "segment", "content_query", "status"] as const;
  /** A memory the user may read: about them, organization-wide, or of a room they are in; else 404. */
  const visible = (ctx: Ctx) => {
    const memory = ctx.store.memories.get(ctx.params.id!);
    const inRoom = memory.chatRoomId !== null && ctx.store.isParticipant(memory.chatRoomId, ctx.actor.id);
    if (memory.subjectId !== ctx.actor.id && memory.scope !== "organization" && !inRoom) throw notFound("Memory not found");
    return memory;
  };
  router
    .on("GET", `${M}/memories`, (ctx) => {
      if (ctx.query.chat_room_id !== undefined && !isUuid(ctx.query.chat_room_id)) throw invalid("/chat_room_id", "is not a valid UUID");
      const memories = ctx.store.memories.listForUser(ctx.actor, pick(ctx.query, FILTERS)).map((m) => shape.userMemory(ctx.store, m));
      const request = readPagination(ctx.query, "me-memories", { defaultLimit: 20, maxPageSize: 50 });
      const { data, metadata } = paginate(memories, request, "me-memories");
      return { status: 200, body: { data, metadata, meta: metadata }, ...(request.mode === "page" ? { headers: DEPRECATED_PAGING } : {}) };
    })

    .on("GET", `${M}/memories/{id}`, (ctx) => ok(shape.userMemory(ctx.store, visible(ctx))))

    .on("DELETE", `${M}/memories/{id}`, (ctx) => {
      visible(ctx);
      ctx.store.memories.delete(ctx.actor, ctx.params.id!);
      return noContent();
    })

    .on("POST", `${M}/memories/{id}/supersede`, (ctx) => ok(shape.userMemory(ctx.store, ctx.store.memories.changeAsUser(ctx.actor, visible(ctx).id, "superseded"))))
    .on("POST", `${M}/memories/{id}/archive`, (ctx) => ok(shape.userMemory(ctx.store, ctx.store.memories.changeAsUser(ctx.actor, visible(ctx).id, "archived"))))
    .on("POST", `${M}/memories/{id}/restore`, (ctx) => ok(shape.userMemory(ctx.store, ctx.store.memories.changeAsUser(ctx.actor, visible(ctx).id, "active"))));
}
