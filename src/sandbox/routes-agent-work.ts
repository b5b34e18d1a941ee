/** The agent API's shared work (`/api/v1/agent/*`): each room's tasks and board, and the agent's memories. */
import { paginate, readPagination } from "./pagination.js";
import { bodyObject, created, ok, pick, queryEnum, wrapped, type Ctx, type Router } from "./router.js";
import { roomOf, DEPRECATED_PAGING } from "./routes-shared.js";
import * as shape from "./shapes.js";

const A = "/api/v1/agent";

export function agentWorkRoutes(router: Router): void {
  taskRoutes(router);
  memoryRoutes(router);
}

function taskRoutes(router: Router): void {
  const includeHistory = (ctx: Ctx) => queryEnum(ctx, "include", ["history"] as const) === "history";
  router
    .on("GET", `${A}/chats/{chat_id}/tasks`, (ctx) => {
      const room = roomOf(ctx);
      const state = queryEnum(ctx, "state", ["active", "cancelled", "superseded", "archived", "all"] as const) ?? "active";
      const tasks = ctx.store.tasks.list(room.id, state);
      const { data, metadata } = paginate(tasks, cursorOnly(ctx, `tasks:${room.id}:${state}`, 50), `tasks:${room.id}:${state}`);
      return ok(data.map((t) => ctx.store.tasks.toTask(t, false)), { metadata });
    })

    .on("POST", `${A}/chats/{chat_id}/tasks`, (ctx) => {
      const room = roomOf(ctx);
      return created(ctx.store.tasks.toTask(ctx.store.tasks.create(room, ctx.actor, bodyObject(ctx.body)), false));
    })

    .on("GET", `${A}/chats/{chat_id}/tasks/{id}/history`, (ctx) => {
      const room = roomOf(ctx);
      const task = ctx.store.tasks.find(room.id, ctx.params.id!);
      const scope = `history:${task.id}`;
      const { data, metadata } = paginate(task.history, cursorOnly(ctx, scope, 50), scope);
      return ok(data, { metadata });
    })

    .on("GET", `${A}/chats/{chat_id}/tasks/{id}`, (ctx) => {
      const room = roomOf(ctx);
      return ok(ctx.store.tasks.toTask(ctx.store.tasks.find(room.id, ctx.params.id!), includeHistory(ctx)));
    })

    .on("POST", `${A}/chats/{chat_id}/tasks/{id}`, (ctx) => {
      const room = roomOf(ctx);
      const task = ctx.store.tasks.find(room.id, ctx.params.id!);
      return ok(ctx.store.tasks.toTask(ctx.store.tasks.update(task, ctx.actor, bodyObject(ctx.body)), false));
    })

    .on("GET", `${A}/chats/{chat_id}/board`, (ctx) => {
      const room = roomOf(ctx);
      return ok(ctx.store.tasks.toBoard(room.id, includeHistory(ctx)));
    })

    .on("PUT", `${A}/chats/{chat_id}/board`, (ctx) => {
      const room = roomOf(ctx);
      ctx.store.tasks.putBoard(room.id, ctx.actor, bodyObject(ctx.body));
      return ok(ctx.store.tasks.toBoard(room.id, false));
    });
}

/** Task lists only know the cursor family: page parameters are not part of their contract and are ignored. */
function cursorOnly(ctx: Ctx, scope: string, defaultLimit: number) {
  const { page: _page, page_size: _pageSize, ...query } = ctx.query;
  return readPagination(query, scope, { defaultLimit });
}

function memoryRoutes(router: Router): void {
  const FILTERS = ["subject_id", "scope", "system", "type", "segment", "content_query", "status"] as const;
  router
    .on("GET", `${A}/memories`, (ctx) => {
      const request = readPagination(ctx.query, "memories", { defaultLimit: 20, maxPageSize: 50 });
      const memories = ctx.store.memories.listForAgent(pick(ctx.query, FILTERS)).map((m) => shape.agentMemory(ctx.store, m));
      const { data, metadata } = paginate(memories, request, "memories");
      return { status: 200, body: { data, metadata, meta: metadata }, ...(request.mode === "page" ? { headers: DEPRECATED_PAGING } : {}) };
    })

    .on("POST", `${A}/memories`, (ctx) => created(shape.agentMemory(ctx.store, ctx.store.memories.create(ctx.actor, wrapped(ctx.body, "memory")))))

    .on("GET", `${A}/memories/{id}`, (ctx) => ok(shape.agentMemory(ctx.store, ctx.store.memories.get(ctx.params.id!))))

    .on("POST", `${A}/memories/{id}/supersede`, (ctx) => ok(shape.agentMemory(ctx.store, ctx.store.memories.changeAsAgent(ctx.actor, ctx.params.id!, "superseded"))))

    .on("POST", `${A}/memories/{id}/archive`, (ctx) => ok(shape.agentMemory(ctx.store, ctx.store.memories.changeAsAgent(ctx.actor, ctx.params.id!, "archived"))));
}
