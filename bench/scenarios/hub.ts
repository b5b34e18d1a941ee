import { spawn, type ChildProcess } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { FakeBandProcess } from "../fake-band.js";
import { now, STAMP_PREFIX, type HubAgent } from "../protocol.js";
import { percentile, type Figure } from "../report.js";
import { CLI, cpuMs, delivered, markProcessed, nodeFlags, profileFlags, rssMb, status, waitForMessages } from "../server.js";
import { clockOffset, sleep } from "../session.js";

const STAMP = new RegExp(`${STAMP_PREFIX}([0-9.]+)`);
const TOKEN = `bench-${"t".repeat(32)}`;

/**
 * The hub side by side with its alternative, against one fake Band: `agents` agents × `rooms` rooms each in one
 * `--http` process (time to all connected and joined, RSS per agent, push → delivery with every agent live, and
 * the REST sync send's round trip against a scripted peer), then the same agents as that many single-agent
 * stdio processes (start time, total RSS).
 */
export async function hubVersusProcesses(agents: number, rooms: number, samples: number, syncSamples: number): Promise<Figure[]> {
  const fake = await FakeBandProcess.start();
  const children: ChildProcess[] = [];
  const clients: Client[] = [];
  try {
    const world = await fake.send("hubWorld", { agents, rooms });
    // The sync round trips are hundreds of answers from a scripted agent with no person between: exactly what the
    // loop guard holds (docs/delivery.md guarantee 12), so it is off here.
    const base = { PATH: process.env.PATH ?? "", BAND_BASE_URL: fake.world.url, BAND_WS_URL: fake.world.wsUrl, BAND_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn", BAND_LOOP_LIMIT: "0" };
    const allJoined = (what: string) => until(async () => (await fake.send("hubJoined", {})) === agents, what);

    const started = await startHub(fake, world, base);
    children.push(started.hub);
    const { hub, origin, joinedMs: hubJoinedMs, rssMb: hubRss } = started;

    for (let i = 0; i < agents; i++) clients.push(await connect(`${origin}/agents/${label(i)}/mcp`));
    const latencies = await pushToDelivery(fake, world, clients, samples);
    const syncTimes = await syncRoundTrips(fake, origin, world[0]!, syncSamples);
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
    await stop(hub);
    await until(async () => (await fake.send("hubJoined", {})) === 0, "the hub's sockets gone");

    const procsStarted = now();
    const procs = world.map((a) => spawn(process.execPath, [CLI], { env: { ...base, BAND_API_KEY: a.key }, stdio: ["pipe", "ignore", "pipe"] }));
    children.push(...procs);
    for (const p of procs) p.stderr!.resume();
    await allJoined(`${agents} single-agent processes joined`);
    const procsJoinedMs = now() - procsStarted;
    await sleep(1_000);
    const procsRss = procs.reduce((sum, p) => sum + rssMb(p.pid!), 0);
    await Promise.all(procs.map(stop));

    const setup = `${agents} agents × ${rooms} rooms`;
    return [
      { key: "hub_connected_ms", label: `hub: ${setup} → all connected, joined`, value: hubJoinedMs, unit: "ms", note: "spawn of one --http process → the fake Band sees every agent joined to every room" },
      { key: "hub_rss_mb", label: `hub RSS, ${agents} agents`, value: hubRss, unit: "MB" },
      { key: "hub_rss_per_agent_mb", label: "hub RSS per agent", value: hubRss / agents, unit: "MB" },
      { key: "hub_latency_p50_ms", label: `hub push→delivery p50, ${agents} live`, value: percentile(latencies, 50), unit: "ms", note: `${samples} samples round-robin over every agent's MCP endpoint (Streamable HTTP), after one warm-up delivery per endpoint` },
      { key: "hub_latency_p99_ms", label: `hub push→delivery p99, ${agents} live`, value: percentile(latencies, 99), unit: "ms", target: { op: "<", value: 5 } },
      { key: "procs_connected_ms", label: `${agents} processes: all connected, joined`, value: procsJoinedMs, unit: "ms", note: `the same ${setup} as ${agents} single-agent stdio processes, spawned at once` },
      { key: "procs_rss_mb", label: `${agents} processes: total RSS`, value: procsRss, unit: "MB" },
      { key: "hub_rss_ratio", label: "hub RSS / processes' RSS", value: hubRss / procsRss, unit: "x" },
      { key: "hub_start_ratio", label: "hub start / processes' start", value: hubJoinedMs / procsJoinedMs, unit: "x" },
      { key: "sync_rtt_p50_ms", label: "REST sync send round trip p50", value: percentile(syncTimes, 50), unit: "ms", note: `${syncSamples} POST …/messages/sync, a scripted peer answering at once (polled every 1 ms)` },
      { key: "sync_rtt_p99_ms", label: "REST sync send round trip p99", value: percentile(syncTimes, 99), unit: "ms" },
    ];
  } finally {
    for (const c of clients) await c.close().catch(() => undefined);
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await fake.close();
  }
}

/**
 * A hub far past the 50-agent comparison: `agents` agents × `rooms` rooms in one `--http` process (no process
 * alternative: that many Node processes do not fit). Push → delivery is sampled with every agent live, over the
 * MCP endpoints of `sampled` agents spread evenly across the hub.
 */
export async function hubAtScale(agents: number, rooms: number, samples: number, sampled: number): Promise<Figure[]> {
  const fake = await FakeBandProcess.start();
  const clients: Client[] = [];
  let hub: ChildProcess | undefined;
  try {
    const world = await fake.send("hubWorld", { agents, rooms });
    const base = { PATH: process.env.PATH ?? "", BAND_BASE_URL: fake.world.url, BAND_WS_URL: fake.world.wsUrl, BAND_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn" };
    const started = await startHub(fake, world, base);
    hub = started.hub;
    // Idle, every agent live: what per-agent timers (heartbeats, idle resync, claim and standby clocks) cost.
    const [idleCpu, idleRequests] = [cpuMs(started.hub.pid!), await fake.send("requestCount", {})];
    await sleep(IDLE_MS);
    const idle = { cpu: cpuMs(started.hub.pid!) - idleCpu, requests: (await fake.send("requestCount", {})) - idleRequests };
    const every = Math.max(1, Math.floor(agents / sampled));
    const picked = world.map((agent, i) => ({ agent, i })).filter(({ i }) => i % every === 0).slice(0, sampled);
    for (const { i } of picked) clients.push(await connect(`${started.origin}/agents/${label(i)}/mcp`));
    const latencies = await pushToDelivery(fake, picked.map((p) => p.agent), clients, samples);
    const setup = `${agents} agents × ${rooms} rooms`;
    return [
      { key: "hub1000_connected_ms", label: `hub: ${setup} → all connected, joined`, value: started.joinedMs, unit: "ms", target: { op: "<", value: 10_000 }, note: "spawn of one --http process → the fake Band sees every agent joined to every room" },
      { key: "hub1000_start_cpu_ms", label: "hub CPU time, spawn → all joined", value: started.cpuMs, unit: "ms", note: "user + system CPU of the hub process: what the start costs whatever else the machine is doing" },
      { key: "hub1000_idle_cpu_pct", label: `hub idle CPU, ${agents} agents live`, value: (idle.cpu / IDLE_MS) * 100, unit: "% of a core", note: `${IDLE_MS / 1000} s with nothing posted, after all joined (long enough for one idle resync at the default 60 s)` },
      { key: "hub1000_idle_rest_per_s", label: `hub idle REST calls to Band, ${agents} agents`, value: idle.requests / (IDLE_MS / 1000), unit: "/s" },
      { key: "hub1000_rss_mb", label: `hub RSS, ${agents} agents`, value: started.rssMb, unit: "MB" },
      { key: "hub1000_rss_per_agent_mb", label: `hub RSS per agent, ${agents} agents`, value: started.rssMb / agents, unit: "MB", target: { op: "<=", value: 2 } },
      { key: "hub1000_latency_p50_ms", label: `hub push→delivery p50, ${agents} live`, value: percentile(latencies, 50), unit: "ms", note: `${samples} samples round-robin over ${picked.length} agents' MCP endpoints spread across the hub, every agent live, after one warm-up delivery per endpoint` },
      { key: "hub1000_latency_p99_ms", label: `hub push→delivery p99, ${agents} live`, value: percentile(latencies, 99), unit: "ms", target: { op: "<", value: 10 } },
    ];
  } finally {
    for (const c of clients) await c.close().catch(() => undefined);
    if (hub && hub.exitCode === null) hub.kill("SIGKILL");
    await fake.close();
  }
}

/** Spawns one hub for the world's agents; resolves once every agent has joined every room, with its RSS a second later. */
async function startHub(fake: FakeBandProcess, world: HubAgent[], base: Record<string, string>): Promise<{ hub: ChildProcess; origin: string; joinedMs: number; cpuMs: number; rssMb: number }> {
  const started = now();
  const keys = Object.fromEntries(world.map((a, i) => [`BAND_API_KEY_${label(i).toUpperCase()}`, a.key]));
  const hub = spawn(process.execPath, [...profileFlags(), ...nodeFlags(), CLI, "--http", "--port", "0"], { env: { ...base, ...keys, BAND_MCP_HTTP_TOKEN: TOKEN }, stdio: ["ignore", "ignore", "pipe"] });
  try {
    const origin = await listeningOrigin(hub);
    await until(async () => (await fake.send("hubJoined", {})) === world.length, `${world.length} agents joined in the hub`);
    const joinedMs = now() - started;
    const cpu = cpuMs(hub.pid!);
    await sleep(1_000);
    return { hub, origin, joinedMs, cpuMs: cpu, rssMb: rssMb(hub.pid!) };
  } catch (error) {
    hub.kill("SIGKILL");
    throw error;
  }
}

/** The idle window of the 1,000-agent hub: past the default BAND_RESYNC_SECONDS, so a resync sweep is in it. */
const IDLE_MS = 75_000;

const label = (i: number) => `a${String(i + 1).padStart(2, "0")}`;

/**
 * Push → delivery, round-robin over the agents' endpoints, after one warm-up delivery per endpoint (each
 * session's first one runs code paths for the first time), as the stdio scenarios discard their first 50.
 */
async function pushToDelivery(fake: FakeBandProcess, world: HubAgent[], clients: Client[], samples: number): Promise<number[]> {
  const offset = await clockOffset(fake);
  const latencies: number[] = [];
  const warmup = clients.length;
  for (let i = 0; i < warmup + samples; i++) {
    const agent = world[i % world.length]!;
    const client = clients[i % clients.length]!;
    const waiting = delivered(waitForMessages(client, { max: 1, timeoutSeconds: 10 }));
    // Over HTTP each request has its own connection: give the wait a moment to be registered before the push.
    await status(client);
    await sleep(2);
    await fake.send("postStampedTo", { roomId: agent.roomIds[i % agent.roomIds.length]!, agentId: agent.id });
    const { messages, receivedAt } = await waiting;
    const stamp = messages[0] && STAMP.exec(messages[0].content);
    if (!stamp) throw new Error(`hub latency sample ${i}: expected a stamped message, got ${JSON.stringify(messages)}`);
    if (i >= warmup) latencies.push(receivedAt - (Number(stamp[1]) - offset));
    await markProcessed(client, messages[0]!);
  }
  return latencies.sort((a, b) => a - b);
}

async function syncRoundTrips(fake: FakeBandProcess, origin: string, asker: HubAgent, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    await fake.send("answerNext", { roomId: asker.roomIds[0]!, askerId: asker.id });
    const started = now();
    const response = await fetch(`${origin}/agents/${label(0)}/messages/sync`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ chat_id: asker.roomIds[0], content: `question ${i}`, mentions: ["alice/reviewer"], timeout_seconds: 10 }),
    });
    const body = (await response.json()) as { reply: unknown };
    times.push(now() - started);
    if (response.status !== 200 || !body.reply) throw new Error(`sync send ${i}: ${response.status} ${JSON.stringify(body)}`);
  }
  return times.sort((a, b) => a - b);
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: "band-bench-hub", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  return client;
}

function listeningOrigin(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      // Matched before trimming: the line itself may be longer than what is kept.
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      stderr = stderr.slice(-4_000);
      if (match) resolve(new URL(match[1]!).origin);
    });
    child.once("exit", (code) => reject(new Error(`hub exited with ${code}: ${stderr}`)));
  });
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!(await condition())) {
    if (now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
