import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { now, type World } from "./protocol.js";

/** BENCH_CLI=<path>: bench another build (a baseline checked out elsewhere, say) instead of ./dist. */
export const CLI = process.env.BENCH_CLI ?? join(import.meta.dirname, "../dist/cli.js");

/** A server process over stdio with the SDK's Client, exactly as an MCP host runs it. */
export interface Spawned {
  client: Client;
  pid: number;
  /** Lines the server wrote on stderr (drained continuously: a full stderr pipe would block the server). */
  stderrLines(): number;
  stderrTail(): string;
  close(): Promise<void>;
}

export interface SpawnOptions {
  command?: string;
  args?: string[];
  /** The server script to start with Node's flags (default: CLI); ignored when `args` is given. */
  cli?: string;
  env?: Record<string, string>;
}

/** BENCH_CPU_PROF=<dir>: the server and the fake Band write V8 CPU profiles there (open in Chrome DevTools). */
export const profileFlags = (): string[] => (process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

/** BENCH_NODE_FLAGS="<flags>": the server starts with those Node flags (e.g. --perf-basic-prof for perf). */
export const nodeFlags = (): string[] => process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];

export async function spawnServer(options: SpawnOptions = {}): Promise<Spawned> {
  const transport = new StdioClientTransport({
    command: options.command ?? process.execPath,
    args: options.args ?? [...profileFlags(), ...nodeFlags(), options.cli ?? CLI],
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stderr: "pipe",
  });
  let lines = 0;
  let tail = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    for (const c of text) if (c === "\n") lines++;
    tail = (tail + text).slice(-4_000);
    // BENCH_SERVER_LOG=<file>: keep every line, for diagnosing a run (with BAND_LOG_LEVEL=debug, say).
    if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, text);
  });
  const client = new Client({ name: "band-bench", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    pid: transport.pid!,
    stderrLines: () => lines,
    stderrTail: () => tail,
    close: () => client.close(),
  };
}

/** The environment that points our server at the fake Band. */
export function bandEnv(world: World, extra: Record<string, string> = {}): Record<string, string> {
  return { BAND_API_KEY: world.agentKey, BAND_BASE_URL: world.url, BAND_WS_URL: world.wsUrl, BAND_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn", ...extra };
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux; clock ticks are 10 ms). */
export function cpuMs(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface Status {
  connection: string;
  chats_joined: number;
  inbox: { pending: number; in_flight: number; delivered_total: number; dropped: number };
}

export async function status(client: Client): Promise<Status> {
  return (await client.callTool({ name: "band_status", arguments: {} })).structuredContent as unknown as Status;
}

/** Polls band_status until the condition holds; returns the time (now()) it was seen to hold. */
export async function pollStatus(client: Client, condition: (s: Status) => boolean, what: string, timeoutMs = 60_000, everyMs = 10): Promise<number> {
  const deadline = now() + timeoutMs;
  for (;;) {
    if (condition(await status(client))) return now();
    if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Received {
  id: string;
  chat_id: string;
  content: string;
}

export async function waitForMessages(client: Client, args: { max: number; timeoutSeconds: number; chatId?: string }): Promise<{ messages: Received[]; timed_out: boolean }> {
  const result = await client.callTool({
    name: "band_wait_for_message",
    arguments: { max_messages: args.max, timeout_seconds: args.timeoutSeconds, ...(args.chatId ? { chat_id: args.chatId } : {}) },
  });
  if (result.isError) throw new Error(`band_wait_for_message failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as unknown as { messages: Received[]; timed_out: boolean };
}

/** A wait's answer with the time it arrived: taken then, not after other awaits (the fake's answer to a post may come later). */
export async function delivered<T>(answer: Promise<T>): Promise<T & { receivedAt: number }> {
  const result = await answer;
  return { ...result, receivedAt: now() };
}

export async function markProcessed(client: Client, message: Received): Promise<void> {
  const result = await client.callTool({ name: "band_mark_processed", arguments: { chat_id: message.chat_id, message_id: message.id } });
  if (result.isError) throw new Error(`band_mark_processed ${message.id} failed: ${JSON.stringify(result.content)}`);
}
