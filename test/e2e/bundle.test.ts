import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as z3 from "zod/v3";
import type { zodToJsonSchema as toJsonSchema } from "zod-to-json-schema";
import { bundleFiles, modulesIn, startFiles } from "../helpers/bundle.js";
import { CLI } from "../helpers/http-server.js";

const run = promisify(execFile);
const { version } = JSON.parse(readFileSync(join(dirname(CLI), "../package.json"), "utf8")) as { version: string };

/**
 * The built bundle's shape (scripts/bundle.mjs): what only some commands need sits in chunks that a plain stdio
 * start never reads, and no module is bundled twice.
 */
describe("the bundle", () => {
  it("a stdio start reads none of HTTP mode, the hub, doctor, watch's command, ajv, zod 3 or undici's WebAssembly", () => {
    const started = new Set(startFiles().flatMap((file) => [...modulesIn(file)]));
    expect(started).toContain("src/mcp/stdio.ts");
    expect(started).toContain("src/config.ts");
    const lazy = ["src/http/server.ts", "src/hub/registry.ts", "src/doctor.ts", "src/watch/command.ts", "src/telemetry/otel.ts"];
    expect(lazy.filter((path) => started.has(path))).toEqual([]);
    expect([...started].filter((path) => /^node_modules\/(jose|hono|@hono|ajv|ajv-formats|zod\/v3|zod-to-json-schema|undici\/lib\/llhttp\/llhttp)/.test(path))).toEqual([]);
    expect(started).toContain("node_modules/zod/v4/classic/schemas.js");
    expect(started).toContain("node_modules/undici/lib/dispatcher/client-h1.js");
  });

  it("holds the SDK's JSON Schema validator (ajv, for elicitation answers) in a file of its own that the bundle loads on first use", () => {
    const side = join(dirname(CLI), "cli-ajv.cjs");
    expect(bundleFiles().filter((file) => readFileSync(file, "utf8").includes('"./cli-ajv.cjs"'))).toHaveLength(1);
    const { AjvJsonSchemaValidator } = createRequire(import.meta.url)(side) as typeof import("@modelcontextprotocol/sdk/validation/ajv");
    const validate = new AjvJsonSchemaValidator().getValidator<{ email: string }>({ type: "object", properties: { email: { type: "string", format: "email" } }, required: ["email"] });
    expect(validate({ email: "ada@example.com" })).toMatchObject({ valid: true });
    expect(validate({ email: "not an address" })).toMatchObject({ valid: false, errorMessage: 'data/email must match format "email"' });
  });

  it("holds zod 3 and zod-to-json-schema (the SDK's path for zod 3 schemas) in a file of their own that the bundle loads on first use", () => {
    const side = join(dirname(CLI), "cli-zod3.cjs");
    expect(bundleFiles().filter((file) => readFileSync(file, "utf8").includes('"./cli-zod3.cjs"'))).toHaveLength(1);
    const { object, zodToJsonSchema } = createRequire(import.meta.url)(side) as { object: typeof z3.object; zodToJsonSchema: typeof toJsonSchema };
    const schema = object({ handle: z3.string() });
    expect(schema.safeParse({ handle: "ada" }).success).toBe(true);
    expect(schema.safeParse({ handle: 1 }).success).toBe(false);
    expect(zodToJsonSchema(schema)).toMatchObject({ type: "object", properties: { handle: { type: "string" } }, required: ["handle"] });
  });

  it("keeps undici's HTTP parser (WebAssembly, with and without SIMD) beside cli.js, where undici requires it on its first request", () => {
    for (const name of ["cli-llhttp-wasm.cjs", "cli-llhttp_simd-wasm.cjs"]) {
      expect(bundleFiles().filter((file) => readFileSync(file, "utf8").includes(`"./${name}"`)).length).toBeGreaterThan(0);
      const wasm = createRequire(import.meta.url)(join(dirname(CLI), name)) as Buffer;
      expect(wasm.subarray(0, 4)).toEqual(Buffer.from("\0asm"));
    }
  });

  it("the bin turns Node's compile cache on before it imports the server, where Node has one (22.1 and later)", async () => {
    // Node 20 has no module.enableCompileCache: a preload gives it one that says when it is called.
    const preload = `import module from "node:module"; module.enableCompileCache = () => process.stdout.write("cache on;");`;
    const { stdout } = await run(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(preload)}`, CLI, "--version"], { env: { PATH: process.env.PATH ?? "" } });
    expect(stdout).toBe(`cache on;${version}\n`);
  });

  it("bundles every module into one file only, so a class shared by chunks is one class (instanceof holds)", () => {
    const where = new Map<string, string[]>();
    for (const file of bundleFiles()) for (const path of modulesIn(file)) where.set(path, [...(where.get(path) ?? []), basename(file)]);
    expect([...where].filter(([, files]) => files.length > 1)).toEqual([]);
    expect(where.get("src/config.ts")).toHaveLength(1);
  });
});
