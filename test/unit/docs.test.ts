import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/settings/table.js";

/** Every document the code or the docs point at ships in the repository, and the front page stays short. */
const root = join(import.meta.dirname, "../..");

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(path).isDirectory() ? filesUnder(path, keep) : keep(path) ? [path] : [];
  });
}

/** A cited markdown file resolves beside the citing file, at the top of the repository, or in docs/. */
function resolves(citing: string, cited: string): boolean {
  return [join(dirname(citing), cited), join(root, cited), join(root, "docs", cited)].some((p) => existsSync(p));
}

describe("documentation", () => {
  it("ships every document a source file cites", () => {
    const sources = ["src", "scripts", "test", "bench"].flatMap((d) => filesUnder(join(root, d), (p) => /\.(ts|mjs|js)$/.test(p)));
    const missing = sources.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/[\w./-]*\b[\w-]+\.md\b/g)]
        .map((m) => m[0])
        .filter((cited) => !resolves(file, cited))
        .map((cited) => `${relative(root, file)} cites ${cited}`),
    );
    expect(missing).toEqual([]);
  });

  it("resolves every relative link of the README and docs/", () => {
    const pages = [join(root, "README.md"), ...filesUnder(join(root, "docs"), (p) => p.endsWith(".md"))];
    const broken = pages.flatMap((page) =>
      [...readFileSync(page, "utf8").matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^[a-z]+:/.test(target) && !existsSync(join(dirname(page), target)))
        .map((target) => `${relative(root, page)} → ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it("keeps the README front page under 200 lines", () => {
    expect(readFileSync(join(root, "README.md"), "utf8").split("\n").length).toBeLessThan(200);
  });

  it("gives each setting the README names with a default, e.g. `BAND_LOOP_LIMIT` (25), the default the code has", () => {
    const named = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/`(BAND_[A-Z_]+)`\s+\((\d+)\)/g)].map(([, env, value]) => [env!, Number(value)] as const);
    expect(named.length).toBeGreaterThanOrEqual(4);
    const defaults = new Map<string, unknown>(Object.values(SETTINGS).flatMap((s) => ("env" in s && "default" in s ? [[s.env, s.default]] : [])));
    for (const [env, value] of named) expect([env, defaults.get(env)]).toEqual([env, value]);
  });
});
