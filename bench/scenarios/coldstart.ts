import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { FakeBandProcess } from "../fake-band.js";
import { now } from "../protocol.js";
import { median, type Figure } from "../report.js";
import { bandEnv, CLI } from "../server.js";

const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "band-bench", version: "1" } } };

/**
 * spawn → initialize answered → tools/list answered, in ms, over raw JSON-RPC lines: the SDK's Client would add
 * its own work (it compiles a validator for every output schema on tools/list), which is not the server's.
 */
async function coldStart(args: string[], env: Record<string, string>): Promise<{ initialize: number; toolsList: number; tools: number }> {
  const started = now();
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["pipe", "pipe", "ignore"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const answer = async (id: number) => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`server exited before answering request ${id}`);
      const message = JSON.parse(value as string) as { id?: number; result?: { tools?: unknown[] } };
      if (message.id === id) return message;
    }
  };
  try {
    child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
    await answer(1);
    const initialized = now();
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} })}\n`);
    const list = await answer(2);
    return { initialize: initialized - started, toolsList: now() - started, tools: list.result?.tools?.length ?? 0 };
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin.end();
    // Either server exits on stdin close; the kill is only a safety net.
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  }
}

function everythingBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@modelcontextprotocol/server-everything/package.json")), "dist/index.js");
}

/** Median of `runs` cold starts of ours and of @modelcontextprotocol/server-everything, interleaved. */
export async function coldStarts(runs: number): Promise<Figure[]> {
  const fake = await FakeBandProcess.start();
  try {
    const ours: Awaited<ReturnType<typeof coldStart>>[] = [];
    const theirs: Awaited<ReturnType<typeof coldStart>>[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(await coldStart([CLI], bandEnv(fake.world)));
      theirs.push(await coldStart([everythingBin(), "stdio"], {}));
    }
    const oursList = median(ours.map((r) => r.toolsList));
    const theirsList = median(theirs.map((r) => r.toolsList));
    const note = `median of ${runs} runs each, interleaved, raw JSON-RPC over stdio; ${ours[0]!.tools} tools (default toolsets) vs ${theirs[0]!.tools}`;
    return [
      { key: "cold_start_initialize_ms", label: "cold start → initialize", value: median(ours.map((r) => r.initialize)), unit: "ms", note },
      { key: "cold_start_tools_list_ms", label: "cold start → tools/list", value: oursList, unit: "ms", target: { op: "<", value: 300 } },
      { key: "cold_start_everything_ms", label: "  server-everything → tools/list", value: theirsList, unit: "ms" },
      { key: "cold_start_ratio", label: "  ours / server-everything", value: oursList / theirsList, unit: "x", target: { op: "<=", value: 1 } },
    ];
  } finally {
    await fake.close();
  }
}
