/**
 * The sandbox's world between runs: people, rooms, messages and their processing states in one JSON file,
 * `world.json` in BAND_SANDBOX_DIR. Written atomically (a temporary file renamed over it), a moment after each
 * change and on close; never bigger than MAX_WORLD_BYTES. A file that cannot be read back is moved aside and
 * reported, and a fresh world starts. One sandbox keeps a folder at a time (`world.lock`); another one started
 * on the same folder runs a temporary world and says so. Contacts, memories and tasks stay in memory.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { seedDemo, type Demo } from "./demo.js";
import type { StoreEventType } from "./events.js";
import type { BandStore, DeliveryRecord, MessageRecord, RoomRecord } from "./store.js";

/** A world this big holds thousands of long messages; past it the world is not saved (and says why). */
export const MAX_WORLD_BYTES = 32 * 1024 * 1024;
const FORMAT = 1;

/** Where the world is kept: a facts-only account for the CLI and the page to word. */
export type WorldStorage =
  | { kind: "memory" }
  | { kind: "file"; file: string; restored: boolean; setAside?: { file: string; reason: string } }
  | { kind: "busy"; dir: string; holderPid: number };

/** BAND_SANDBOX_DIR, else the per-user data folder of this platform. */
export function sandboxDir(env: Record<string, string | undefined>): string {
  const asked = env.BAND_SANDBOX_DIR?.trim();
  if (asked) return resolve(asked);
  if (process.platform === "win32") return join(env.LOCALAPPDATA?.trim() || join(homedir(), "AppData", "Local"), "band-mcp-server", "sandbox");
  if (process.platform === "darwin") return join(homedir(), "Library", "Application Support", "band-mcp-server", "sandbox");
  return join(env.XDG_DATA_HOME?.trim() || join(homedir(), ".local", "share"), "band-mcp-server", "sandbox");
}

const text = z.string().max(1_000_000);
const actor = z.object({
  id: z.string(), type: z.enum(["User", "Agent"]), name: text, handle: text, key: text, description: text.nullable(),
  insertedAt: text, updatedAt: text, ownerId: z.string().optional(), global: z.boolean(), isExternal: z.boolean(),
  listedInDirectory: z.boolean(), tags: z.array(text), email: text.optional(), firstName: text.optional(), lastName: text.optional(),
});
const participant = z.object({ actorId: z.string(), role: z.enum(["owner", "admin", "member"]), joinedAt: text });
const room = z.object({
  id: z.string(), title: text.nullable(), taskId: z.string().nullable(), type: z.enum(["direct", "group", "task"]),
  status: z.enum(["active", "archived", "closed"]), titleLocked: z.boolean(), insertedAt: text, updatedAt: text,
  lastMessageAt: text.nullable(), participants: z.array(participant),
});
const attempt = z.object({
  attempt_number: z.number().int(), status: z.enum(["processing", "success", "failed"]), error: text.optional(),
  started_at: text, completed_at: text.optional(),
});
const message = z.object({
  seq: z.number().int().positive(), id: z.string(), roomId: z.string(), content: text, messageType: text, senderId: z.string(),
  senderType: z.enum(["User", "Agent"]), senderName: text, mentions: z.array(z.object({ id: z.string(), handle: text, name: text })),
  extraMetadata: z.record(z.string(), z.unknown()), insertedAt: text, updatedAt: text,
  deliveries: z.array(z.tuple([z.string(), z.object({ status: z.enum(["processing", "processed", "failed"]), attempts: z.array(attempt) })])),
});
const snapshot = z.object({
  format: z.literal(FORMAT),
  world_id: z.string(),
  demo: z.object({ agent_id: z.string(), people_ids: z.array(z.string()).min(1) }),
  actors: z.array(actor),
  rooms: z.array(room),
  messages: z.array(message),
});
type Snapshot = z.infer<typeof snapshot>;

function toSnapshot(store: BandStore, demo: Demo): Snapshot {
  return {
    format: FORMAT,
    world_id: demo.worldId,
    demo: { agent_id: demo.agent.id, people_ids: demo.people.map((p) => p.id) },
    actors: [...store.actors.values()],
    rooms: [...store.rooms.values()].map(({ messages: _messages, participants, ...fields }) => ({ ...fields, participants: [...participants.values()] })),
    // Creation order across rooms, so reading them back rebuilds every queue in order.
    messages: [...store.messagesById.values()].sort((a, b) => a.seq - b.seq).map(({ deliveries, ...fields }) => ({ ...fields, deliveries: [...deliveries] })),
  };
}

/** What must hold before a saved world is filed in the store: a failed check leaves the store untouched. */
function inconsistency(saved: Snapshot): string | undefined {
  const unique = (values: string[]) => new Set(values).size === values.length;
  const actors = new Map(saved.actors.map((a) => [a.id, a]));
  const rooms = new Set(saved.rooms.map((r) => r.id));
  if (!unique(saved.actors.map((a) => a.id)) || !unique(saved.actors.map((a) => a.handle.toLowerCase())) || !unique(saved.actors.map((a) => a.key))) return "two people share an id, a handle or a key";
  if (rooms.size !== saved.rooms.length || saved.rooms.some((r) => r.participants.some((p) => !actors.has(p.actorId)))) return "a room is listed twice or has someone unknown in it";
  if (!unique(saved.messages.map((m) => m.id)) || saved.messages.some((m, i) => !rooms.has(m.roomId) || (i > 0 && m.seq <= saved.messages[i - 1]!.seq))) return "a message is listed twice, out of order or in no room";
  if (actors.get(saved.demo.agent_id)?.type !== "Agent" || saved.demo.people_ids.some((id) => actors.get(id)?.type !== "User")) return "the demo agent or people are missing";
  return undefined;
}

/** Files the saved records in the (empty) store. */
function restore(store: BandStore, saved: Snapshot): Demo {
  const problem = inconsistency(saved);
  if (problem) throw new Error(problem);
  const rooms: RoomRecord[] = saved.rooms.map((r) => ({ ...r, participants: new Map(r.participants.map((p) => [p.actorId, p])), messages: [] }));
  const messages: MessageRecord[] = saved.messages.map((m) => ({ ...m, deliveries: new Map<string, DeliveryRecord>(m.deliveries) }));
  store.adopt({ actors: saved.actors, rooms, messages });
  return { worldId: saved.world_id, agent: store.actor(saved.demo.agent_id)!, people: saved.demo.people_ids.map((id) => store.actor(id)!) };
}

/** Takes the folder's lock, or returns the pid of the live sandbox that holds it. */
function lock(file: string): number | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return holder;
      // Left by a sandbox that is gone.
      rmSync(file, { force: true });
    }
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The world as kept, and a `save` that writes it (atomically, bounded). */
export interface KeptWorld {
  demo: Demo;
  storage: WorldStorage;
  /** Writes the world now; returns why it could not, or undefined. */
  save(): string | undefined;
  /** Gives the folder back. */
  release(): void;
}

/** Reads the world kept in `dir` into `store` (or seeds a new one), and takes the folder for this process. */
export function openWorld(store: BandStore, dir: string | undefined): KeptWorld {
  const none = { save: () => undefined, release: () => undefined };
  if (dir === undefined) return { demo: seedDemo(store), storage: { kind: "memory" }, ...none };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lockFile = join(dir, "world.lock");
  const holderPid = lock(lockFile);
  if (holderPid !== undefined) return { demo: seedDemo(store), storage: { kind: "busy", dir, holderPid }, ...none };

  const file = join(dir, "world.json");
  let demo: Demo | undefined;
  let setAside: { file: string; reason: string } | undefined;
  try {
    const size = statSync(file, { throwIfNoEntry: false })?.size;
    if (size !== undefined && size > MAX_WORLD_BYTES) throw new Error(`it is ${size} bytes, over the ${MAX_WORLD_BYTES} a world may take`);
    if (size !== undefined) demo = restore(store, snapshot.parse(JSON.parse(readFileSync(file, "utf8"))));
  } catch (error) {
    const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(file, aside);
    setAside = { file: aside, reason: error instanceof z.ZodError ? "it is not a world this version can read" : error instanceof Error ? error.message : String(error) };
  }
  const restored = demo !== undefined;
  const world = demo ?? seedDemo(store);
  const save = (): string | undefined => {
    const body = JSON.stringify(toSnapshot(store, world));
    if (Buffer.byteLength(body) > MAX_WORLD_BYTES) return `the world is over ${MAX_WORLD_BYTES} bytes, so it is no longer saved`;
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, body, { mode: 0o600 });
      renameSync(temporary, file);
      return undefined;
    } catch (error) {
      rmSync(temporary, { force: true });
      return `cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  if (!restored) save();
  return { demo: world, storage: { kind: "file", file, restored, ...(setAside ? { setAside } : {}) }, save, release: () => rmSync(lockFile, { force: true }) };
}

/** What changes the kept world: rooms, messages and their states (not activity blips, nor contacts, which stay in memory). */
const KEPT_CHANGES = new Set<StoreEventType>(["room_created", "room_renamed", "room_deleted", "participant_added", "participant_removed", "message_created", "processing_changed"]);

/**
 * Saves `delayMs` after a change to what is kept (activity blips are not), so a burst of messages is one write;
 * `close` writes it once more and gives the folder back. The last save's problem, if any, is in `problem()`.
 */
export function saveOnChange(store: BandStore, world: KeptWorld, delayMs = 300): { problem(): string | undefined; close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let problem: string | undefined;
  const save = () => {
    timer = undefined;
    problem = world.save();
  };
  const unwatch = store.watch((event) => {
    if (!KEPT_CHANGES.has(event.type) || timer) return;
    timer = setTimeout(save, delayMs);
    timer.unref();
  });
  const close = () => {
    process.off("exit", close);
    unwatch();
    clearTimeout(timer);
    // Always: people and agents added through Band's API change no room until they are in one.
    save();
    world.release();
  };
  // The embedded sandbox ends with its host's process.exit(): what changed in the last moment is written too.
  process.once("exit", close);
  return { problem: () => problem, close };
}
