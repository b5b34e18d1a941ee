export type QueryValue = string | number | boolean | null | undefined;

/** A path parameter no Band object can have ("", ".", ".."): refused before anything is sent. */
export class InvalidPathValueError extends Error {
  constructor(
    readonly parameter: string,
    readonly value: string,
  ) {
    super(`${JSON.stringify(value)} is not a valid ${parameter} in a Band path. Nothing was sent.`);
    this.name = "InvalidPathValueError";
  }
}

const TEMPLATES = new Map<string, string[]>();

/** `/chats/{chat_id}/x` → ["/chats/", "chat_id", "/x"]: literals at even indexes, parameter names at odd ones. */
function templateParts(template: string): string[] {
  let parts = TEMPLATES.get(template);
  if (!parts) TEMPLATES.set(template, (parts = template.split(/\{(\w+)\}/)));
  return parts;
}

/**
 * A request path with its query: base path + the operation's template, parameters encoded. Templates are split
 * once (literal, name, literal, …) rather than matched with a regex on every call.
 */
export function requestPath(basePath: string, template: string, params?: Record<string, string | number>, query?: Record<string, QueryValue>): string {
  const parts = templateParts(template);
  let path = basePath + parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const value = params?.[parts[i]!];
    if (value === undefined) throw new Error(`missing path parameter ${parts[i]}`);
    path += encodeSegment(parts[i]!, String(value)) + parts[i + 1]!;
  }
  if (query === undefined) return path;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.set(name, String(value));
  }
  return search.size > 0 ? `${path}?${search}` : path;
}

/**
 * A path segment. "", "." and ".." are refused rather than escaped: servers and proxies normalise `%2E%2E` like
 * `..` (RFC 3986, WHATWG), so an id like that would reach another endpoint. Tool schemas refuse them first;
 * this catches every other caller.
 */
function encodeSegment(name: string, value: string): string {
  if (value === "" || value === "." || value === "..") throw new InvalidPathValueError(name, value);
  return encodeURIComponent(value);
}
