import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { now } from "../protocol.js";
import type { Figure } from "../report.js";
import { cpuMs, markProcessed, pollStatus, waitForMessages } from "../server.js";
import { withSession } from "../session.js";

/** Acks a consumer keeps in flight: it acks as it goes, like an agent, without a round trip per message. */
const ACKS_IN_FLIGHT = 100;

/** Receives `count` messages in batches of 50 and acks each; returns how many arrived twice. */
async function consume(client: Client, count: number): Promise<number> {
  const seen = new Set<string>();
  let duplicates = 0;
  const acks = new Set<Promise<void>>();
  while (seen.size < count) {
    const { messages, timed_out } = await waitForMessages(client, { max: 50, timeoutSeconds: 10 });
    if (timed_out) throw new Error(`throughput: only ${seen.size} of ${count} messages arrived`);
    for (const message of messages) {
      if (seen.has(message.id)) duplicates++;
      seen.add(message.id);
      const ack: Promise<void> = markProcessed(client, message).finally(() => acks.delete(ack));
      acks.add(ack);
    }
    while (acks.size >= ACKS_IN_FLIGHT) await Promise.race(acks);
  }
  await Promise.all(acks);
  return duplicates;
}

/** One run's figures: messages per second, exactly once, and each process's CPU per message. */
interface Run {
  rate: number;
  elapsed: number;
  exact: boolean;
  cpu: { server: number; fake: number; runner: number };
}

/**
 * Messages pushed in one burst, drained with band_wait_for_message (max 50) and acked with
 * band_mark_processed; exactly-once is checked against the fake's own delivery records. The median of `runs`
 * fresh runs: on a shared 2-core machine one run alone swings by 10%. The server's CPU per message is reported
 * against the fake Band's in the same run, which does the other end of the same exchanges.
 */
export async function throughput(count: number, rooms: number, runs: number): Promise<Figure[]> {
  const { median, all, exact } = await medianRun(count, rooms, runs);
  return [
    { key: "throughput_msgs_per_s", label: `inbox throughput (${count} msgs, ${rooms} rooms)`, value: median.rate, unit: "msg/s", target: { op: ">=", value: 5_000 }, note: `median of ${runs} (${all} msg/s); burst → all acked in ${Math.round(median.elapsed)} ms; acks ${ACKS_IN_FLIGHT} in flight; ${cpuNote(median)}` },
    { key: "throughput_exactly_once", label: "  all processed, each claimed once", value: exact ? 1 : 0, unit: "", target: { op: "=", value: 1 } },
    { key: "throughput_cpu_ratio", label: "  server CPU per message / fake Band's", value: median.cpu.server / median.cpu.fake, unit: "×", target: { op: "<=", value: 1 }, note: "in the median run" },
  ];
}

/**
 * The same runs with bench/floor-server.mjs in the server's place: the libraries this project uses doing only
 * what Band and MCP require per message, with none of its code, once through the MCP SDK's server side and once
 * answering JSON-RPC by hand. Their CPU against the fake Band's is what the stack alone costs (the server cannot
 * go below the first), and what the SDK's server side adds to it.
 */
export async function throughputFloor(count: number, rooms: number, runs: number): Promise<Figure[]> {
  const sdk = await medianRun(count, rooms, runs, FLOOR);
  const raw = await medianRun(count, rooms, runs, FLOOR, { FLOOR_MCP: "raw" });
  return [
    { key: "floor_msgs_per_s", label: `floor throughput (${count} msgs, ${rooms} rooms)`, value: sdk.median.rate, unit: "msg/s", note: `bench/floor-server.mjs, median of ${runs} (${sdk.all} msg/s); ${cpuNote(sdk.median, "floor")}` },
    { key: "floor_cpu_ratio", label: "  floor CPU per message / fake Band's", value: sdk.median.cpu.server / sdk.median.cpu.fake, unit: "×", note: "the stack alone, with none of this project's code: the server's ratio cannot go below it" },
    { key: "floor_raw_msgs_per_s", label: "floor without the MCP SDK's server side", value: raw.median.rate, unit: "msg/s", note: `FLOOR_MCP=raw, median of ${runs} (${raw.all} msg/s); ${cpuNote(raw.median, "floor")}` },
    { key: "floor_raw_cpu_ratio", label: "  its CPU per message / fake Band's", value: raw.median.cpu.server / raw.median.cpu.fake, unit: "×" },
  ];
}

const FLOOR = join(import.meta.dirname, "../floor-server.mjs");
const cpuNote = ({ cpu }: Run, server = "server") => `CPU µs per message: ${server} ${cpu.server}, fake ${cpu.fake}, runner ${cpu.runner}`;

async function medianRun(count: number, rooms: number, runs: number, cli?: string, env: Record<string, string> = {}): Promise<{ median: Run; all: string; exact: boolean }> {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await once(count, rooms, cli, env));
  results.sort((a, b) => a.rate - b.rate);
  return { median: results[Math.floor(results.length / 2)]!, all: results.map((r) => Math.round(r.rate)).join(", "), exact: results.every((r) => r.exact) };
}

async function once(count: number, rooms: number, cli: string | undefined, env: Record<string, string>): Promise<Run> {
  return withSession({ env: { BAND_INBOX_CAPACITY: String(count), ...env }, ...(cli ? { cli } : {}) }, async ({ fake, server }) => {
    const { client } = server;
    const roomIds = [fake.world.roomId, ...(await fake.send("createRooms", { count: rooms - 1 }))];
    await pollStatus(client, (s) => s.connection === "connected" && s.chats_joined >= rooms, "all rooms joined");
    // A room's pushes are held until its first backlog drain is done: one message per room, received, proves it.
    await fake.send("post", { roomIds, count: rooms });
    await consume(client, rooms);
    await fake.send("forget", {});

    // CPU per process: all three share this machine's cores, so the busiest one bounds the figure.
    const pids = { server: server.pid, fake: fake.pid, runner: process.pid };
    const cpuBefore = { server: cpuMs(pids.server), fake: cpuMs(pids.fake), runner: cpuMs(pids.runner) };
    const started = now();
    const posting = fake.send("post", { roomIds, count });
    const duplicates = await consume(client, count);
    const elapsed = now() - started;
    const perMessage = (name: keyof typeof pids) => Math.round(((cpuMs(pids[name]) - cpuBefore[name]) / count) * 1000);
    const cpu = { server: perMessage("server"), fake: perMessage("fake"), runner: perMessage("runner") };
    const { ids } = await posting;
    const report = await fake.send("deliveries", {});
    const exact = report.posted === count && ids.length === count && report.processed === count && report.claimedTwice === 0 && duplicates === 0;
    if (!exact) process.stderr.write(`throughput: delivery records ${JSON.stringify(report)}, duplicates seen by the client ${duplicates}\n`);
    return { rate: (count / elapsed) * 1000, elapsed, exact, cpu };
  });
}
