import { invalid, notFound } from "./errors.js";
import { isUuid } from "./ids.js";
import type { Query } from "./pagination.js";
import type { ActorRecord, BandStore } from "./store.js";

export interface Ctx {
  store: BandStore;
  /** The authenticated caller: an agent on `/api/v1/agent`, a user on `/api/v1/me`. */
  actor: ActorRecord;
  params: Record<string, string>;
  query: Query;
  /** The parsed JSON body; undefined when none was sent. */
  body: unknown;
}

export interface Reply {
  status: number;
  /** The whole JSON body (`{data, metadata?}`); absent for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** Routes written with the spec's own path templates (`/chats/{chat_id}/messages`). */
export class Router {
  readonly #routes: Route[] = [];

  on(method: string, template: string, handler: Handler): this {
    const keys: string[] = [];
    const source = template.replace(/\{(\w+)\}/g, (_match, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | undefined {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(found[i + 1]!)));
      return { handler: route.handler, params };
    }
    return undefined;
  }
}

export const ok = (data: unknown, extra: Record<string, unknown> = {}): Reply => ({ status: 200, body: { data, ...extra } });
export const created = (data: unknown): Reply => ({ status: 201, body: { data } });
export const noContent = (): Reply => ({ status: 204 });

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The object under a required wrapper key (`{message: {…}}`); 422 at `/key` when it is missing. */
export function wrapped(body: unknown, key: string): Json {
  const inner = isObject(body) ? body[key] : undefined;
  if (!isObject(inner)) throw invalid(`/${key}`, "is required");
  return inner;
}

/** An unwrapped body (`/failed`, `/activity`, contacts, tasks): no body reads as `{}`. */
export function bodyObject(body: unknown): Json {
  if (body === undefined) return {};
  if (!isObject(body)) throw invalid("/", "must be a JSON object");
  return body;
}

/** A path id that must be a UUID: no resource can have a malformed id, so it is simply not found. */
export function pathUuid(ctx: Ctx, name: string): string {
  const value = ctx.params[name]!;
  if (!isUuid(value)) throw notFound();
  return value;
}

/** A query enum: absent → undefined, unknown value → 422. */
export function queryEnum<T extends string>(ctx: Ctx, name: string, values: readonly T[]): T | undefined {
  const value = ctx.query[name];
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw invalid(`/${name}`, `must be one of ${values.join(", ")}`);
  return value as T;
}

/** Query filters passed through as given (absent ones omitted). */
export function pick(query: Query, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) if (query[name] !== undefined) picked[name] = query[name];
  return picked;
}
