import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { waitFor } from "../helpers/harness.js";
import { CLI } from "../helpers/http-server.js";

let fake: FakeBand;
let runtime: string;
const children: ChildProcess[] = [];

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "", XDG_RUNTIME_DIR: runtime, BAND_LOG_LEVEL: "warn", ...env }, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c) => (stdout += c));
  child.stderr!.on("data", (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const bandEnv = (): Record<string, string> => ({ BAND_API_KEY: fake.agent.key, BAND_BASE_URL: fake.url, BAND_WS_URL: fake.wsUrl, BAND_STANDBY_SECONDS: "1" });
/** The stdio server as a host runs it (stdin stays open); it connects to Band without waiting for a client. */
const server = () => start([], bandEnv());
const lines = (watch: Running) => watch.stdout().split("\n").filter(Boolean);
const post = (content: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content, mentions: [fake.agent.id] });

async function stop(running: Running): Promise<void> {
  running.child.kill("SIGTERM");
  await running.exited;
}

beforeEach(async () => {
  fake = await startFakeBand();
  runtime = mkdtempSync(join(tmpdir(), "band-watch-"));
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await fake.close();
  rmSync(runtime, { recursive: true, force: true });
});

describe("band-mcp-server watch", () => {
  it("prints one clean line per mention, and follows the server across a restart", async () => {
    const first = server();
    const watch = start(["watch"], { BAND_API_KEY: fake.agent.key });
    await waitFor(() => watch.stderr().includes("following the inbox of @alice/helper"), "watch follows the server", 10_000);

    const folder = join(runtime, "band-mcp-server");
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const [socket] = readdirSync(folder);
    expect(statSync(join(folder, socket!)).mode & 0o777).toBe(0o600);
    expect(socket, "named by a hash, never the key").not.toContain(fake.agent.key);

    post("please review\nthe \u001b[31mdraft\u0007 ".concat("x".repeat(300)));
    await waitFor(() => lines(watch).length === 1, "a line for the mention");
    const [line] = lines(watch);
    expect(line).toMatch(/^@alice in "Project room": @alice\/helper please review the \[31mdraft x+… — call band_wait_for_message$/);
    expect(line!.slice(line!.indexOf(": ") + 2, line!.indexOf("… — ")).length).toBe(200);

    await stop(first);
    await waitFor(() => watch.stderr().includes("the server went away"), "watch notices the server is gone");
    const second = server();
    await waitFor(() => (watch.stderr().match(/following the inbox/g) ?? []).length === 2, "watch follows the restarted server", 10_000);
    post("after the restart");
    await waitFor(() => lines(watch).length === 2, "a line for the mention after the restart");
    // The first message is still unprocessed on Band, so the new server queues it again: printed once only.
    expect(lines(watch)[1]).toBe('@alice in "Project room": @alice/helper after the restart — call band_wait_for_message');
    await stop(second);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
    expect(lines(watch)).toHaveLength(2);
  }, 40_000);

  it("takes over the socket a crashed server left behind, and follows the new server", async () => {
    const crashed = server();
    const watch = start(["watch"], { BAND_API_KEY: fake.agent.key });
    await waitFor(() => watch.stderr().includes("following the inbox of @alice/helper"), "watch follows the server", 10_000);
    crashed.child.kill("SIGKILL");
    await crashed.exited;
    const folder = join(runtime, "band-mcp-server");
    expect(readdirSync(folder), "a SIGKILL leaves the socket file").toHaveLength(1);
    // Another agent's server that crashed long ago: the next server to take an endpoint tidies its file away.
    const abandoned = join(folder, "inbox-0123456789abcdef01234567.sock");
    spawnSync(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(abandoned)}, () => process.kill(process.pid, "SIGKILL"))`]);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(abandoned, longAgo, longAgo);
    const next = server();
    await waitFor(() => (watch.stderr().match(/following the inbox/g) ?? []).length === 2, "watch follows the new server", 15_000);
    post("after the crash");
    await waitFor(() => lines(watch).length === 1, "a line after the crash");
    expect(lines(watch)[0]).toContain("after the crash");
    await waitFor(() => !existsSync(abandoned), "the abandoned socket file removed");
    await stop(next);
  }, 40_000);

  it("follows whichever of a standby pair holds the agent, with no key of its own", async () => {
    const holder = server();
    const watch = start(["watch"], {});
    await waitFor(() => watch.stderr().includes("following the inbox of @alice/helper"), "watch follows the holder", 10_000);
    const standby = server();
    await new Promise((r) => setTimeout(r, 500));
    post("to the holder");
    await waitFor(() => lines(watch).length === 1, "a line from the holder");

    await stop(holder);
    await waitFor(() => (watch.stderr().match(/following the inbox/g) ?? []).length === 2, "watch follows the standby once it takes over", 15_000);
    post("to the standby");
    await waitFor(() => lines(watch).length === 2, "a line from the standby");
    expect(lines(watch)[1]).toContain("to the standby");
    await stop(standby);
  }, 40_000);

  // Other users must not read the inbox: the endpoint's folder is private (0700). Only root can act as another
  // user, so elsewhere this is skipped.
  it.runIf(process.getuid?.() === 0)("keeps its endpoint from other users: they can neither list the folder nor connect to the socket", async () => {
    chmodSync(runtime, 0o755); // as an open parent would be: only the server's own folder stands in the way
    const running = server();
    const folder = join(runtime, "band-mcp-server");
    await waitFor(() => existsSync(folder) && readdirSync(folder).length === 1, "the endpoint published");
    const socket = join(folder, readdirSync(folder)[0]!);
    const probe = `const net = require("net"), fs = require("fs");
      const listed = (() => { try { fs.readdirSync(${JSON.stringify(folder)}); return "listed"; } catch (e) { return e.code; } })();
      net.connect(${JSON.stringify(socket)}).on("connect", () => { console.log(listed, "connected"); process.exit(); }).on("error", (e) => console.log(listed, e.code));`;
    const asNobody = spawnSync(process.execPath, ["-e", probe], { uid: 65534, gid: 65534, encoding: "utf8" });
    expect(asNobody.stdout.trim()).toBe("EACCES EACCES");
    const asOwner = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
    expect(asOwner.stdout.trim()).toBe("listed connected");
    await stop(running);
  });

  it("refuses flags it does not take, with its usage", async () => {
    const bad = start(["watch", "--agnet", "ops", "--agent"], {});
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain("unknown option --agnet for watch (did you mean --agent?)");
    expect(bad.stderr()).toContain("option --agent needs a value");
    expect(bad.stderr()).toContain("Usage: band-mcp-server watch");
    expect(bad.stdout()).toBe("");
    const help = start(["watch", "--help"], {});
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain("Usage: band-mcp-server watch");
  });
});
