import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CLI } from "./http-server.js";

const DIST = dirname(CLI);

/** Every file of the built server's bundle: dist/cli.js and what sits beside it (dist/cli-*.js, dist/cli-*.cjs). */
export function bundleFiles(): string[] {
  return [CLI, ...readdirSync(DIST).filter((name) => /^cli-.+\.c?js$/.test(name)).map((name) => join(DIST, name))];
}

/** The files a plain start reads: dist/cli.js, the server it imports (dist/cli-main.js) and their static imports. */
export function startFiles(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, name] of readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\s[^;]*?from\s*"\.\/(cli-[^"]+\.js)"/gm)) visit(join(DIST, name!));
    for (const [, name] of readFileSync(file, "utf8").matchAll(/^import\s*"\.\/(cli-[^"]+\.js)"/gm)) visit(join(DIST, name!));
    if (file === CLI) visit(join(DIST, "cli-main.js"));
  };
  visit(CLI);
  return [...seen];
}

/** The modules bundled into a file, as esbuild names them in its comments (`// src/config.ts`, `// node_modules/…`). */
export function modulesIn(file: string): Set<string> {
  return new Set([...readFileSync(file, "utf8").matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map(([, path]) => path!));
}
