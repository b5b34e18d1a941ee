import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { connectInMemory, untilJoined, waitFor, type Connected } from "../helpers/harness.js";
import { CLI, spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

/**
 * The container recipe, checked without a container runtime: what it labels, runs, exposes and health-checks
 * must be what the package and the code are. The health check itself is run against real hubs.
 */
const root = join(import.meta.dirname, "../..");
const run = promisify(execFile);

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions (continuations joined, comments dropped), each with the index of its build stage. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, " ");
  let stage = -1;
  return joined.split("\n").flatMap((line) => {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match || line.trimStart().startsWith("#")) return [];
    if (match[1] === "FROM") stage += 1;
    return [{ keyword: match[1]!, args: match[2]!.trim(), stage }];
  });
}

const dockerfile = instructions(readFileSync(join(root, "Dockerfile"), "utf8"));
const finalStage = Math.max(...dockerfile.map((i) => i.stage));
const final = (keyword: string) => dockerfile.filter((i) => i.keyword === keyword && i.stage === finalStage);
const only = (keyword: string) => {
  const found = final(keyword);
  expect(found, `one ${keyword} in the final stage`).toHaveLength(1);
  return found[0]!.args;
};
const serverName = (JSON.parse(readFileSync(join(root, "server.json"), "utf8")) as { name: string }).name;
const help = execFileSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
const defaultPort = Number(/--port <port>\s+HTTP port \(default (\d+);/.exec(help)?.[1]);

/** The HEALTHCHECK's own command (exec form), aimed at `port` instead of the image's. */
function healthCheck(port: number): Promise<number> {
  const command = JSON.parse(only("HEALTHCHECK").replace(/^(--\S+\s+)*CMD\s+/, "")) as string[];
  expect(command.slice(0, 2)).toEqual(["node", "-e"]);
  const script = command[2]!.replace(`127.0.0.1:${defaultPort}/`, `127.0.0.1:${port}/`);
  return run(process.execPath, ["-e", script], { timeout: 10_000 }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
}

describe("Dockerfile", () => {
  it("builds in one stage and runs in another, as a non-root user, with production dependencies only", () => {
    expect(finalStage, "multi-stage").toBeGreaterThanOrEqual(1);
    expect(only("USER")).not.toMatch(/^(root|0)(:|$)/);
    expect(final("RUN").some((i) => /\bnpm ci\b.*--omit=dev/.test(i.args)), "npm ci --omit=dev in the final stage").toBe(true);
    expect(final("RUN").some((i) => /\bnpm (install|i)\b/.test(i.args) && !/--omit=dev/.test(i.args))).toBe(false);
  });

  it("carries the MCP Registry's OCI label with the name of server.json", () => {
    const labels = final("LABEL").map((i) => i.args).join(" ");
    expect(/io\.modelcontextprotocol\.server\.name="([^"]+)"/.exec(labels)?.[1]).toBe(serverName);
  });

  it("starts the packed entry point as the HTTP hub on the code's default port, which it exposes", async () => {
    const entry = JSON.parse(only("ENTRYPOINT")) as string[];
    expect(entry[0]).toBe("node");
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json"], { cwd: root, timeout: 60_000 });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toContain(entry[1]);
    const cmd = JSON.parse(only("CMD")) as string[];
    expect(cmd).toContain("--http");
    expect(Number(cmd[cmd.indexOf("--port") + 1])).toBe(defaultPort);
    expect(only("EXPOSE")).toBe(String(defaultPort));
  });

  it("copies into the build only what .dockerignore lets through", () => {
    const allowed = readFileSync(join(root, ".dockerignore"), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("!"))
      .map((line) => line.slice(1).replace(/\/$/, ""));
    const sources = dockerfile.filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from")).flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(allowed, source).toContain(source.replace(/\/$/, ""));
  });
});

describe("the container's health check, run against real hubs", () => {
  let fake: FakeBand;
  let holder: Connected;
  let live: RunningServer;
  let standing: RunningServer;

  beforeAll(async () => {
    fake = await startFakeBand();
    const held = fake.addAgent({ name: "Held", handle: "alice/held" });
    fake.addParticipant(fake.room.id, held.id);
    holder = await connectInMemory(fake, { BAND_LIVE: "true", BAND_API_KEY: held.key });
    await untilJoined(holder.app);
    const env = { PATH: process.env.PATH ?? "", BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_LOG_LEVEL: "warn" };
    [live, standing] = await Promise.all([spawnHttpServer({ ...env, BAND_API_KEY: fake.agent.key }), spawnHttpServer({ ...env, BAND_API_KEY: held.key })]);
    await waitFor(async () => (await fetch(`${live.base}/health`)).status === 200, "the live hub connected", 10_000);
    await waitFor(async () => ((await (await fetch(`${standing.base}/agents/default/health`)).json()) as { connection: string }).connection === "conflict", "the second hub standing by", 10_000);
  });

  afterAll(async () => {
    for (const server of [live, standing]) server?.child.kill("SIGTERM");
    await Promise.all([live?.exited, standing?.exited]);
    await holder?.close();
    await fake?.close();
  });

  it("passes for a hub whose agents are live, and for a standby (alive, just not serving), and fails when nothing answers", async () => {
    expect(await healthCheck(Number(new URL(live.base).port))).toBe(0);
    expect((await fetch(`${standing.base}/health`)).status, "the standby's /health is 503").toBe(503);
    expect(await healthCheck(Number(new URL(standing.base).port))).toBe(0);
    const closed = createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, "127.0.0.1", () => resolve((closed.address() as { port: number }).port)));
    await new Promise((resolve) => closed.close(resolve));
    expect(await healthCheck(port)).not.toBe(0);
  });
});
