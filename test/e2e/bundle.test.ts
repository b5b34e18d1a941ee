import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleFiles, modulesIn, startFiles } from "../helpers/bundle.js";
import { CLI } from "../helpers/http-server.js";

/**
 * The built bundle's shape (scripts/bundle.mjs): what only some commands need sits in chunks that a plain stdio
 * start never reads, and no module is bundled twice.
 */
describe("the bundle", () => {
  it("a stdio start reads none of HTTP mode, the hub, doctor, watch's command or ajv", () => {
    const started = new Set(startFiles().flatMap((file) => [...modulesIn(file)]));
    expect(started).toContain("dist/mcp/stdio.js");
    expect(started).toContain("dist/config.js");
    const lazy = ["dist/http/server.js", "dist/hub/registry.js", "dist/doctor.js", "dist/watch/command.js", "dist/telemetry/otel.js"];
    expect(lazy.filter((path) => started.has(path))).toEqual([]);
    expect([...started].filter((path) => /^node_modules\/(jose|hono|@hono|ajv|ajv-formats)\//.test(path))).toEqual([]);
  });

  it("holds the SDK's JSON Schema validator (ajv, for elicitation answers) in a file of its own that the bundle loads on first use", () => {
    const side = join(dirname(CLI), "cli-ajv.cjs");
    expect(bundleFiles().filter((file) => readFileSync(file, "utf8").includes('"./cli-ajv.cjs"'))).toHaveLength(1);
    const { AjvJsonSchemaValidator } = createRequire(import.meta.url)(side) as typeof import("@modelcontextprotocol/sdk/validation/ajv");
    const validate = new AjvJsonSchemaValidator().getValidator<{ email: string }>({ type: "object", properties: { email: { type: "string", format: "email" } }, required: ["email"] });
    expect(validate({ email: "ada@example.com" })).toMatchObject({ valid: true });
    expect(validate({ email: "not an address" })).toMatchObject({ valid: false, errorMessage: 'data/email must match format "email"' });
  });

  it("bundles every module into one file only, so a class shared by chunks is one class (instanceof holds)", () => {
    const where = new Map<string, string[]>();
    for (const file of bundleFiles()) for (const path of modulesIn(file)) where.set(path, [...(where.get(path) ?? []), basename(file)]);
    expect([...where].filter(([, files]) => files.length > 1)).toEqual([]);
    expect(where.get("dist/config.js")).toHaveLength(1);
  });
});
