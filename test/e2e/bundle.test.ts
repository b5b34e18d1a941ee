import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleFiles, modulesIn, startFiles } from "../helpers/bundle.js";

/**
 * The built bundle's shape (scripts/bundle.mjs): what only some commands need sits in chunks that a plain stdio
 * start never reads, and no module is bundled twice.
 */
describe("the bundle", () => {
  it("a stdio start reads none of HTTP mode, the hub, doctor or watch's command", () => {
    const started = new Set(startFiles().flatMap((file) => [...modulesIn(file)]));
    expect(started).toContain("dist/mcp/stdio.js");
    expect(started).toContain("dist/config.js");
    const lazy = ["dist/http/server.js", "dist/hub/registry.js", "dist/doctor.js", "dist/watch/command.js", "dist/telemetry/otel.js"];
    expect(lazy.filter((path) => started.has(path))).toEqual([]);
    expect([...started].filter((path) => /^node_modules\/(jose|hono|@hono)\//.test(path))).toEqual([]);
  });

  it("bundles every module into one file only, so a class shared by chunks is one class (instanceof holds)", () => {
    const where = new Map<string, string[]>();
    for (const file of bundleFiles()) for (const path of modulesIn(file)) where.set(path, [...(where.get(path) ?? []), basename(file)]);
    expect([...where].filter(([, files]) => files.length > 1)).toEqual([]);
    expect(where.get("dist/config.js")).toHaveLength(1);
  });
});
