import { BandFailure, forbidden, invalid, notFound } from "./errors.js";
import { isUuid, newId } from "./ids.js";
import type { ActorRecord, StoreAccess } from "./records.js";

const SYSTEMS = ["sensory", "working", "long_term"] as const;
const TYPES = ["iconic", "echoic", "haptic", "episodic", "semantic", "procedural"] as const;
const SEGMENTS = ["user", "agent", "tool", "guideline"] as const;
const SCOPES = ["subject", "organization"] as const;
/**
 * "Memory type (must be valid for selected system)". The sensory and long-term pairings are the textbook
 * ones; Band documents no list for working memory, so the local Band accepts any type there.
 */
const TYPES_BY_SYSTEM: Record<string, readonly string[]> = {
  sensory: ["iconic", "echoic", "haptic"],
  working: TYPES,
  long_term: ["episodic", "semantic", "procedural"],
};

export type MemoryStatus = "active" | "superseded" | "archived";

export interface MemoryRecord {
  id: string;
  content: string;
  system: (typeof SYSTEMS)[number];
  type: (typeof TYPES)[number];
  segment: (typeof SEGMENTS)[number];
  scope: (typeof SCOPES)[number];
  status: MemoryStatus;
  subjectId: string | null;
  sourceAgentId: string;
  thought: string | null;
  metadata: Record<string, unknown> | null;
  chatRoomId: string | null;
  insertedAt: string;
}

export interface MemoryFilters {
  system?: string;
  type?: string;
  segment?: string;
  content_query?: string;
  /** `active` unless asked; `all` for every status. */
  status?: string;
}

const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => typeof value === "string" && (values as readonly string[]).includes(value);

/** Agent memories: stored by agents, read by agents and by the users they are about. */
export class MemoryBank {
  readonly #memories = new Map<string, MemoryRecord>();

  constructor(private readonly store: StoreAccess) {}

  create(agent: ActorRecord, body: Record<string, unknown>): MemoryRecord {
    const at = (field: string) => `/memory/${field}`;
    const { content, system, type, segment, thought, metadata } = body;
    const scope = body.scope ?? "subject";
    if (typeof content !== "string" || content.trim() === "") throw invalid(at("content"), "can't be blank");
    if (!oneOf(SYSTEMS, system)) throw invalid(at("system"), `must be one of ${SYSTEMS.join(", ")}`);
    if (!oneOf(TYPES, type)) throw invalid(at("type"), `must be one of ${TYPES.join(", ")}`);
    if (!TYPES_BY_SYSTEM[system]!.includes(type)) throw invalid(at("type"), `is not valid for the ${system} system`);
    if (!oneOf(SEGMENTS, segment)) throw invalid(at("segment"), `must be one of ${SEGMENTS.join(", ")}`);
    if (typeof thought !== "string") throw invalid(at("thought"), "can't be blank");
    if (!oneOf(SCOPES, scope)) throw invalid(at("scope"), `must be one of ${SCOPES.join(", ")}`);
    const subjectId = body.subject_id ?? null;
    if (scope === "subject" && subjectId === null) throw invalid(at("subject_id"), "is required for subject scope");
    if (subjectId !== null && !isUuid(subjectId)) throw invalid(at("subject_id"), "is not a valid UUID");
    if (metadata !== undefined && metadata !== null && (typeof metadata !== "object" || Array.isArray(metadata))) throw invalid(at("metadata"), "must be an object");
    const memory: MemoryRecord = {
      id: newId(),
      content,
      system,
      type,
      segment,
      scope,
      status: "active",
      subjectId: scope === "subject" ? (subjectId as string) : null,
      sourceAgentId: agent.id,
      thought,
      metadata: (metadata as Record<string, unknown> | undefined) ?? null,
      chatRoomId: null,
      insertedAt: this.store.clock.now(),
    };
    this.#memories.set(memory.id, memory);
    return memory;
  }

  get(id: string): MemoryRecord {
    const memory = this.#memories.get(id);
    if (!memory) throw notFound("Memory not found");
    return memory;
  }

  /** Agents: memories about a subject (all subjects unless `subject_id`) and organization-wide ones. */
  listForAgent(query: MemoryFilters & { subject_id?: string; scope?: string }): MemoryRecord[] {
    const scope = query.scope ?? "all";
    return this.#filter(query).filter((m) => {
      if (m.scope === "organization") return scope === "organization" || scope === "all";
      return (scope === "subject" || scope === "all") && (query.subject_id === undefined || m.subjectId === query.subject_id);
    });
  }

  /** Users: memories about them, organization-wide ones, and those of rooms they are in. */
  listForUser(user: ActorRecord, query: MemoryFilters & { scope?: string; chat_room_id?: string }): MemoryRecord[] {
    const scope = query.scope ?? "all";
    const inMyRoom = (m: MemoryRecord) => m.chatRoomId !== null && this.store.isParticipant(m.chatRoomId, user.id);
    return this.#filter(query).filter((m) => {
      if (query.chat_room_id !== undefined && m.chatRoomId !== query.chat_room_id) return false;
      if (scope === "about_me") return m.subjectId === user.id;
      if (scope === "organization") return m.scope === "organization";
      if (scope === "room") return inMyRoom(m);
      return m.subjectId === user.id || m.scope === "organization" || inMyRoom(m);
    });
  }

  #filter(query: MemoryFilters): MemoryRecord[] {
    const status = query.status ?? "active";
    const needle = query.content_query?.toLowerCase();
    return [...this.#memories.values()].filter(
      (m) =>
        (status === "all" || m.status === status) &&
        (query.system === undefined || m.system === query.system) &&
        (query.type === undefined || m.type === query.type) &&
        (query.segment === undefined || m.segment === query.segment) &&
        (needle === undefined || m.content.toLowerCase().includes(needle)),
    );
  }

  /** Only the agent that stored a memory may supersede or archive it. */
  changeAsAgent(agent: ActorRecord, id: string, status: "superseded" | "archived"): MemoryRecord {
    const memory = this.get(id);
    if (memory.sourceAgentId !== agent.id) throw forbidden("Only the source agent can change this memory");
    memory.status = status;
    return memory;
  }

  /** Users act only on memories about themselves. */
  ownedByUser(user: ActorRecord, id: string): MemoryRecord {
    const memory = this.get(id);
    if (memory.subjectId !== user.id) throw forbidden("You can only change memories about you");
    return memory;
  }

  changeAsUser(user: ActorRecord, id: string, status: MemoryStatus): MemoryRecord {
    const memory = this.ownedByUser(user, id);
    if (status === "active" && memory.status !== "archived") throw new BandFailure(422, "invalid_state", "Only archived memories can be restored");
    memory.status = status;
    return memory;
  }

  delete(user: ActorRecord, id: string): void {
    this.ownedByUser(user, id);
    this.#memories.delete(id);
  }
}
