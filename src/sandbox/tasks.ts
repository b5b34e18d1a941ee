import { BandFailure, invalid, notFound } from "./errors.js";
import { isUuid, newId } from "./ids.js";
import type { ActorRecord, RoomRecord, StoreAccess } from "./records.js";

const WORK_STATUSES = ["pending", "in_progress", "blocked", "in_review", "failed", "completed"] as const;
type WorkStatus = (typeof WORK_STATUSES)[number];
type TaskState = "active" | "cancelled" | "superseded" | "archived";

export interface TaskActor {
  id: string;
  name: string;
  type: "User" | "Agent";
  handle: string | null;
}

export interface HistoryEvent {
  actor: TaskActor;
  at: string;
  event: string;
  payload: Record<string, unknown>;
}

interface Assignment {
  assignee: TaskActor;
  status: WorkStatus;
  active_form: string;
  linked_native_id: string;
  updated_at: string;
}

export interface TaskRecord {
  id: string;
  number: number;
  roomId: string;
  subject: string;
  detail: string;
  state: TaskState;
  assignments: Map<string, Assignment>;
  createdBy: TaskActor;
  supersededById: string | null;
  insertedAt: string;
  updatedAt: string;
  history: HistoryEvent[];
}

export interface BoardRecord {
  goalTitle: string | null;
  goalSummary: string | null;
  createdBy: TaskActor | null;
  updatedBy: TaskActor | null;
  insertedAt: string | null;
  updatedAt: string | null;
  history: HistoryEvent[];
}

/** How many history events `?include=history` embeds. */
export const HISTORY_EMBED_LIMIT = 100;

const taskActor = (actor: ActorRecord): TaskActor => ({ id: actor.id, name: actor.name, type: actor.type, handle: actor.handle });

/** Roll-up of every assignee's status, the most urgent first. */
function overallStatus(task: TaskRecord): WorkStatus {
  const statuses = [...task.assignments.values()].map((a) => a.status);
  if (statuses.length === 0) return "pending";
  for (const status of ["failed", "blocked", "in_progress", "in_review"] as const) if (statuses.includes(status)) return status;
  return statuses.every((s) => s === "completed") ? "completed" : "pending";
}

/** Per-room shared task boards (Beta): tasks with per-assignee status, and the room goal. */
export class TaskBoards {
  readonly #tasks = new Map<string, TaskRecord[]>();
  readonly #boards = new Map<string, BoardRecord>();

  constructor(private readonly store: StoreAccess) {}

  forgetRoom(roomId: string): void {
    this.#tasks.delete(roomId);
    this.#boards.delete(roomId);
  }

  list(roomId: string, state: string): TaskRecord[] {
    const tasks = this.#tasks.get(roomId) ?? [];
    return state === "all" ? tasks : tasks.filter((t) => t.state === state);
  }

  /** A task by UUID or by board number ("3" is task #3). */
  find(roomId: string, ref: string): TaskRecord {
    const tasks = this.#tasks.get(roomId) ?? [];
    const task = /^\d+$/.test(ref) ? tasks.find((t) => t.number === Number(ref)) : isUuid(ref) ? tasks.find((t) => t.id === ref) : undefined;
    if (!task) throw notFound("Task not found");
    return task;
  }

  create(room: RoomRecord, actor: ActorRecord, body: Record<string, unknown>): TaskRecord {
    const { subject, detail, supersedes_id: supersedesId } = body;
    if (typeof subject !== "string" || subject.trim() === "") throw invalid("/subject", "can't be blank");
    if (detail !== undefined && typeof detail !== "string") throw invalid("/detail", "must be a string");
    let replaced: TaskRecord | undefined;
    if (supersedesId !== undefined) {
      if (typeof supersedesId !== "string") throw invalid("/supersedes_id", "must be a task id or number");
      try {
        replaced = this.find(room.id, supersedesId);
      } catch {
        throw invalid("/supersedes_id", "does not name a task in this room");
      }
      if (replaced.state !== "active") throw invalid("/supersedes_id", "names a task that is not active");
    }
    let tasks = this.#tasks.get(room.id);
    if (!tasks) this.#tasks.set(room.id, (tasks = []));
    const now = this.store.clock.now();
    const by = taskActor(actor);
    const task: TaskRecord = {
      id: newId(),
      number: tasks.length + 1,
      roomId: room.id,
      subject: subject.trim(),
      detail: (detail as string | undefined) ?? "",
      state: "active",
      assignments: new Map(),
      createdBy: by,
      supersededById: null,
      insertedAt: now,
      updatedAt: now,
      history: [],
    };
    task.history.push({ actor: by, at: now, event: "created", payload: { subject: task.subject, detail: task.detail } });
    tasks.push(task);
    if (replaced) {
      replaced.history.push({ actor: by, at: now, event: "superseded", payload: { state: { from: replaced.state, to: "superseded" }, superseded_by_id: task.id } });
      replaced.state = "superseded";
      replaced.supersededById = task.id;
      replaced.updatedAt = now;
    }
    return task;
  }

  /**
   * One call, any fields: work fields (status, active_form, linked_native_id, comment, subject, detail) need
   * an active task; `state` restores an archived task first, or cancels/archives after the work is recorded,
   * so `{status: "completed", state: "archived"}` finishes and tidies in one go.
   */
  update(task: TaskRecord, actor: ActorRecord, body: Record<string, unknown>): TaskRecord {
    const known = ["status", "active_form", "comment", "subject", "detail", "state", "linked_native_id"];
    if (!known.some((field) => body[field] !== undefined)) throw invalid("/", `must set at least one of ${known.join(", ")}`);
    for (const field of ["active_form", "comment", "subject", "detail", "linked_native_id"]) {
      if (body[field] !== undefined && typeof body[field] !== "string") throw invalid(`/${field}`, "must be a string");
    }
    if (typeof body.subject === "string" && body.subject.trim() === "") throw invalid("/subject", "can't be blank");
    const status = body.status;
    if (status !== undefined && !(WORK_STATUSES as readonly unknown[]).includes(status)) throw invalid("/status", `must be one of ${WORK_STATUSES.join(", ")}`);
    const state = body.state;
    if (state !== undefined && state !== "cancelled" && state !== "archived" && state !== "active") throw invalid("/state", "must be cancelled, archived or active");

    const by = taskActor(actor);
    const now = this.store.clock.now();
    const record = (event: string, payload: Record<string, unknown>) => task.history.push({ actor: by, at: now, event, payload });
    const changeState = (to: TaskState, event: string) => {
      record(event, { state: { from: task.state, to } });
      task.state = to;
    };

    if (state === "active") {
      if (task.state !== "archived") throw new BandFailure(422, "invalid_transition", "Only an archived task can be made active again");
      changeState("active", "unarchived");
    }
    const work = ["status", "active_form", "comment", "subject", "detail", "linked_native_id"].filter((field) => body[field] !== undefined);
    if (work.length > 0 && task.state !== "active") throw new BandFailure(422, "task_not_active", `Task #${task.number} is ${task.state}; only active tasks accept work`);
    for (const field of ["subject", "detail"] as const) {
      const value = body[field] as string | undefined;
      if (value !== undefined && value !== task[field]) {
        record("edited", { [field]: { from: task[field], to: value } });
        task[field] = value;
      }
    }
    if (status !== undefined || body.active_form !== undefined || body.linked_native_id !== undefined) {
      let assignment = task.assignments.get(actor.id);
      if (!assignment) task.assignments.set(actor.id, (assignment = { assignee: by, status: "pending", active_form: "", linked_native_id: "", updated_at: now }));
      if (status !== undefined && status !== assignment.status) {
        record("status_changed", { status: { from: assignment.status, to: status }, ...(body.linked_native_id !== undefined ? { linked_native_id: body.linked_native_id } : {}) });
        assignment.status = status as WorkStatus;
      }
      if (body.active_form !== undefined) assignment.active_form = body.active_form as string;
      if (body.linked_native_id !== undefined) assignment.linked_native_id = body.linked_native_id as string;
      assignment.updated_at = now;
    }
    if (body.comment !== undefined) record("commented", { text: body.comment });
    if (state === "cancelled") {
      if (task.state !== "active") throw new BandFailure(422, "invalid_transition", `Task #${task.number} is ${task.state} and cannot be cancelled`);
      changeState("cancelled", "cancelled");
    }
    if (state === "archived") {
      if (task.state === "archived") throw new BandFailure(422, "invalid_transition", `Task #${task.number} is already archived`);
      changeState("archived", "archived");
    }
    task.updatedAt = now;
    return task;
  }

  toTask(task: TaskRecord, includeHistory: boolean) {
    return {
      id: task.id,
      number: task.number,
      chat_room_id: task.roomId,
      subject: task.subject,
      detail: task.detail,
      state: task.state,
      overall_status: overallStatus(task),
      assignments: [...task.assignments.values()].map((a) => ({ ...a })),
      created_by: task.createdBy,
      superseded_by_id: task.supersededById,
      inserted_at: task.insertedAt,
      updated_at: task.updatedAt,
      ...(includeHistory ? { history: task.history.slice(-HISTORY_EMBED_LIMIT), history_truncated: task.history.length > HISTORY_EMBED_LIMIT } : {}),
    };
  }

  board(roomId: string): BoardRecord {
    return this.#boards.get(roomId) ?? { goalTitle: null, goalSummary: null, createdBy: null, updatedBy: null, insertedAt: null, updatedAt: null, history: [] };
  }

  /** Upsert of the room goal: only the fields sent change, each change recorded from → to. */
  putBoard(roomId: string, actor: ActorRecord, body: Record<string, unknown>): BoardRecord {
    const { goal_title: title, goal_summary: summary } = body;
    if (title === undefined && summary === undefined) throw invalid("/", "must set goal_title or goal_summary");
    if (title !== undefined && typeof title !== "string") throw invalid("/goal_title", "must be a string");
    if (summary !== undefined && typeof summary !== "string") throw invalid("/goal_summary", "must be a string");
    const board = this.board(roomId);
    const by = taskActor(actor);
    const now = this.store.clock.now();
    const payload: Record<string, unknown> = {};
    if (title !== undefined) payload.goal_title = { from: board.goalTitle, to: title };
    if (summary !== undefined) payload.goal_summary = { from: board.goalSummary, to: summary };
    board.history.push({ actor: by, at: now, event: board.insertedAt === null ? "goal_set" : "goal_edited", payload });
    if (title !== undefined) board.goalTitle = title as string;
    if (summary !== undefined) board.goalSummary = summary as string;
    board.createdBy ??= by;
    board.insertedAt ??= now;
    board.updatedBy = by;
    board.updatedAt = now;
    this.#boards.set(roomId, board);
    return board;
  }

  toBoard(roomId: string, includeHistory: boolean) {
    const board = this.board(roomId);
    return {
      chat_room_id: roomId,
      goal_title: board.goalTitle,
      goal_summary: board.goalSummary,
      created_by: board.createdBy,
      updated_by: board.updatedBy,
      inserted_at: board.insertedAt,
      updated_at: board.updatedAt,
      ...(includeHistory ? { history: board.history.slice(-HISTORY_EMBED_LIMIT), history_truncated: board.history.length > HISTORY_EMBED_LIMIT } : {}),
    };
  }
}
