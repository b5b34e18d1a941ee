/**
 * The web chat's static files (web/: plain HTML, CSS and JS, copied into dist by the build), served as they
 * are: no build step at run time and nothing fetched from other hosts (the CSP forbids it).
 */
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";

const WEB_DIR = new URL("./web/", import.meta.url);

const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/chat.css": { file: "chat.css", type: "text/css; charset=utf-8" },
  "/chat.js": { file: "chat.js", type: "text/javascript; charset=utf-8" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
  // Asked for by browsers and tools that never read the page's <link rel="icon">.
  "/favicon.ico": { file: "favicon.svg", type: "image/svg+xml" },
};

const HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

const cache = new Map<string, Buffer>();

/** Serves a web chat file and returns true, or returns false when the path is not one. */
export function serveAsset(pathname: string, method: string, res: ServerResponse): boolean {
  const asset = FILES[pathname === "/index.html" ? "/" : pathname];
  if (!asset || (method !== "GET" && method !== "HEAD")) return false;
  let body = cache.get(asset.file);
  if (!body) cache.set(asset.file, (body = readFileSync(new URL(asset.file, WEB_DIR))));
  res.writeHead(200, { ...HEADERS, "content-type": asset.type, "content-length": body.length });
  res.end(method === "HEAD" ? undefined : body);
  return true;
}
