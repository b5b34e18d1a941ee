import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, loadConfig, secretsOf } from "../../src/config.js";

/**
 * server.json is the MCP Registry's catalog entry: it must say what the package really is and really reads.
 * The variables come from the settings code itself (every name loadConfig looks up), never from a copied list.
 */
const root = join(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; mcpName: string };

const Variable = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  description: z.string().min(1),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  format: z.enum(["string", "number", "boolean", "filepath"]).optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
});
const Transport = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("stdio") }),
  z.strictObject({ type: z.literal("streamable-http"), url: z.string() }),
]);
const Argument = z.strictObject({ type: z.literal("named"), name: z.string().startsWith("--"), valueHint: z.string().optional(), default: z.string().optional(), description: z.string().optional() });
// The shape of the registry's 2025-12-11 schema, for the fields this entry uses (strict: a typo is an error).
const ServerJson = z.strictObject({
  $schema: z.literal("https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"),
  name: z.string().regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/).min(3).max(200),
  title: z.string().min(1).max(100),
  description: z.string().min(1).max(100),
  version: z.string(),
  packages: z.array(
    z.strictObject({
      registryType: z.literal("npm"),
      registryBaseUrl: z.literal("https://registry.npmjs.org"),
      identifier: z.string(),
      version: z.string(),
      runtimeHint: z.literal("npx"),
      transport: Transport,
      packageArguments: z.array(Argument).optional(),
      environmentVariables: z.array(Variable),
    }),
  ),
});
const server = ServerJson.parse(JSON.parse(readFileSync(join(root, "server.json"), "utf8")));
const variables = server.packages.flatMap((p) => p.environmentVariables);

/** Every variable name the settings code looks up (with no agent key set, so every key alias is tried). */
function variablesTheCodeReads(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({ BAND_USER_KEY: `band_u_${randomBytes(8).toString("hex")}` } as Record<string, string | undefined>, {
    get(target, name) {
      if (typeof name === "string") read.add(name);
      return typeof name === "string" ? target[name] : undefined;
    },
  });
  loadConfig(env);
  return read;
}

/** Whether the code keeps this variable's value as a secret (redacted everywhere): some valid value of it shows up in secretsOf. */
function codeTreatsAsSecret(name: string): boolean {
  const random = randomBytes(24).toString("hex");
  const candidates = [`band_a_${random}`, `band_u_${random}`, random];
  return candidates.some((value) => {
    const env = name === "BAND_API_KEY" ? { [name]: value } : { BAND_API_KEY: `band_a_${randomBytes(8).toString("hex")}`, [name]: value };
    try {
      return secretsOf(loadConfig(env)).includes(value);
    } catch (error) {
      if (error instanceof ConfigError) return false;
      throw error;
    }
  });
}

/** Read by the code but deliberately not offered to catalog users: aliases and the lowercase proxy spellings. */
const NOT_LISTED = new Set(["BAND_AGENT_KEY", "THENVOI_API_KEY", "https_proxy", "http_proxy", "no_proxy"]);

describe("server.json (MCP Registry entry)", () => {
  it("names the npm package and version of package.json, whose mcpName is the entry's name", () => {
    expect(pkg.mcpName).toBe(server.name);
    expect(server.version).toBe(pkg.version);
    for (const entry of server.packages) expect([entry.identifier, entry.version]).toEqual([pkg.name, pkg.version]);
  });

  it("lists exactly the environment variables the settings read", () => {
    const read = [...variablesTheCodeReads()].filter((name) => !NOT_LISTED.has(name));
    const listed = new Set(variables.map((v) => v.name));
    expect(read.filter((name) => !listed.has(name)), "read by the settings but missing from server.json").toEqual([]);
    expect([...listed].filter((name) => !read.includes(name)), "in server.json but never read").toEqual([]);
  });

  it("marks as secret exactly the variables the code keeps secret, and agrees with itself across packages", () => {
    for (const name of new Set(variables.map((v) => v.name))) {
      const entries = variables.filter((v) => v.name === name);
      expect(new Set(entries.map((v) => JSON.stringify(v))).size, `${name} differs between packages`).toBe(1);
      expect(entries[0]!.isSecret ?? false, name).toBe(codeTreatsAsSecret(name));
    }
  });

  it("offers the transports the command line serves, on its default port", () => {
    const help = execFileSync(process.execPath, [join(root, "dist/cli.js"), "--help"], { encoding: "utf8" });
    expect(server.packages.map((p) => p.transport.type).sort()).toEqual(["stdio", "streamable-http"]);
    const stdio = server.packages.find((p) => p.transport.type === "stdio")!;
    expect(stdio.packageArguments ?? [], "stdio is the default: no arguments").toEqual([]);
    const http = server.packages.find((p) => p.transport.type === "streamable-http")!;
    const args = http.packageArguments ?? [];
    for (const arg of args) expect(help, `${arg.name} is a flag of the command`).toContain(`  ${arg.name}`);
    expect(args.map((a) => a.name)).toEqual(["--http", "--port"]);
    const port = args.find((a) => a.name === "--port")!;
    expect(help).toMatch(new RegExp(`--port <port>\\s+HTTP port \\(default ${port.default};`));
    expect(http.transport).toEqual({ type: "streamable-http", url: `http://localhost:{${port.valueHint}}/mcp` });
  });
});
