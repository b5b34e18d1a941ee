/** The people and agents of the local Band, found by id, API key or handle. */
import { Clock, newApiKey, newId } from "./ids.js";
import type { ActorRecord } from "./records.js";

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "") || "agent";

export class ActorDirectory {
  readonly #byId = new Map<string, ActorRecord>();
  readonly #byKey = new Map<string, string>();
  readonly #byHandle = new Map<string, string>();
  #counter = 0;

  constructor(private readonly clock: Clock) {}

  addUser(fields: { id?: string; name?: string; handle?: string } = {}): ActorRecord {
    const n = ++this.#counter;
    const name = fields.name ?? `User ${n}`;
    const handle = fields.handle ?? `user${n}`;
    const [firstName = name, ...rest] = name.split(" ");
    const now = this.clock.now();
    return this.#register({
      id: fields.id ?? newId(),
      type: "User",
      name,
      handle,
      key: newApiKey("user"),
      description: null,
      insertedAt: now,
      updatedAt: now,
      global: false,
      isExternal: false,
      listedInDirectory: true,
      tags: [],
      email: `${handle.replace(/[^a-z0-9._-]/gi, "")}@example.com`,
      firstName,
      lastName: rest.join(" "),
    });
  }

  addAgent(fields: { id?: string; name?: string; handle?: string; ownerId?: string; description?: string | null; global?: boolean } = {}): ActorRecord {
    const n = ++this.#counter;
    const owner = fields.ownerId ? this.get(fields.ownerId) : undefined;
    if (fields.ownerId && owner?.type !== "User") throw new Error(`local band: owner ${fields.ownerId} is not a user`);
    const name = fields.name ?? `Agent ${n}`;
    let handle = fields.handle ?? (owner ? `${owner.handle}/${slug(name)}` : `agent-${n}`);
    if (!fields.handle) for (let i = 2; this.#byHandle.has(handle.toLowerCase()); i++) handle = `${owner?.handle ?? "agent"}/${slug(name)}-${i}`;
    const now = this.clock.now();
    return this.#register({
      id: fields.id ?? newId(),
      type: "Agent",
      name,
      handle,
      key: newApiKey("agent"),
      description: fields.description ?? null,
      insertedAt: now,
      updatedAt: now,
      ...(owner ? { ownerId: owner.id } : {}),
      global: fields.global ?? false,
      isExternal: true,
      listedInDirectory: false,
      tags: [],
    });
  }

  /** A person's new first and/or last name; `name` follows. */
  rename(user: ActorRecord, names: { firstName?: string; lastName?: string }): ActorRecord {
    if (names.firstName !== undefined) user.firstName = names.firstName;
    if (names.lastName !== undefined) user.lastName = names.lastName;
    user.name = [user.firstName, user.lastName].filter(Boolean).join(" ");
    user.updatedAt = this.clock.now();
    return user;
  }

  /** The actors of a saved world, as they were. */
  adopt(actors: readonly ActorRecord[]): void {
    for (const actor of actors) this.#register(actor);
    this.#counter = actors.length;
  }

  /** Forgets the actor: its key no longer authenticates, its handle is free again. */
  remove(id: string): void {
    const actor = this.#byId.get(id);
    if (!actor) return;
    this.#byKey.delete(actor.key);
    this.#byHandle.delete(actor.handle.toLowerCase());
    this.#byId.delete(id);
  }

  get(id: string): ActorRecord | undefined {
    return this.#byId.get(id);
  }

  values(): IterableIterator<ActorRecord> {
    return this.#byId.values();
  }

  byKey(key: string): ActorRecord | undefined {
    const id = this.#byKey.get(key);
    return id === undefined ? undefined : this.#byId.get(id);
  }

  /** Handles are matched case-insensitively, with or without a leading `@`. */
  byHandle(handle: string): ActorRecord | undefined {
    const id = this.#byHandle.get(handle.trim().replace(/^@/, "").toLowerCase());
    return id === undefined ? undefined : this.#byId.get(id);
  }

  #register(actor: ActorRecord): ActorRecord {
    if (this.#byId.has(actor.id)) throw new Error(`local band: id ${actor.id} is taken`);
    if (this.#byHandle.has(actor.handle.toLowerCase())) throw new Error(`local band: handle ${actor.handle} is taken`);
    this.#byId.set(actor.id, actor);
    this.#byKey.set(actor.key, actor.id);
    this.#byHandle.set(actor.handle.toLowerCase(), actor.id);
    return actor;
  }
}
