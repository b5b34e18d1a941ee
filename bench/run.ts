/**
 * `npm run bench`: the built server (dist/cli.js) over stdio with the SDK's Client, the fake Band in another
 * process. Prints a table (each figure with its target) and writes bench/results.json; compares with the
 * previous results.json when there is one. Not part of `npm test`.
 *
 * `npm run bench -- latency throughput` runs only those scenarios (first word of each name) and writes nothing;
 * `npm run bench -- hub1000` runs the 1,000-agent hub alone (CPU-heavy: run it on a quiet machine).
 * Knobs, for investigating: BENCH_CLI=<path> benches another build; BENCH_RUNS=<n> throughput runs (default 3);
 * BENCH_CPU_PROF=<dir> writes V8 CPU profiles of the server and the fake; BENCH_NODE_FLAGS="<flags>" starts the
 * server with those Node flags (e.g. --perf-basic-prof for perf); BENCH_SERVER_LOG=<file> keeps the
 * server's stderr, with BENCH_LOG_LEVEL=debug for detail.
 */
import { join } from "node:path";
import { hubSideBySide, machine, readPrevious, table, toResults, writeResults, type Figure } from "./report.js";
import { backlog } from "./scenarios/backlog.js";
import { channelLatency } from "./scenarios/channel.js";
import { coldStarts } from "./scenarios/coldstart.js";
import { hubAtScale, hubVersusProcesses } from "./scenarios/hub.js";
import { latency } from "./scenarios/latency.js";
import { scale } from "./scenarios/scale.js";
import { throughput, throughputFloor } from "./scenarios/throughput.js";
import { toolList } from "./scenarios/toollist.js";

const RESULTS = join(import.meta.dirname, "results.json");

const scenarios: [string, () => Promise<Figure[]>][] = [
  ["tool list", () => toolList()],
  ["cold start", () => coldStarts(7)],
  ["latency", () => latency(500)],
  ["channel latency", () => channelLatency(500)],
  ["throughput", () => throughput(20_000, 20, Number(process.env.BENCH_RUNS ?? 3))],
  ["floor throughput", () => throughputFloor(20_000, 20, Number(process.env.BENCH_RUNS ?? 3))],
  ["backlog drain", () => backlog(10_000, 100)],
  ["scale", () => scale(1_000)],
  // 1,000 deliveries and 200 sync sends: with 200 and 50, p99 was the 3rd-worst and the worst sample, and swung
  // between about 4 and 8 ms from run to run of the same build on an idle machine.
  ["hub", () => hubVersusProcesses(50, 20, 1_000, 200)],
  ["hub1000", () => hubAtScale(1_000, 5, 500, 100)],
];

const only = process.argv.slice(2);
const previous = readPrevious(RESULTS);
const m = machine();
process.stdout.write(`band-mcp-server bench on ${m.cpu} × ${m.cpus}, ${m.memoryGb} GB, Node ${m.node} (${m.platform})\n`);
const figures: Figure[] = [];
for (const [name, run] of scenarios) {
  if (only.length > 0 && !only.includes(name.split(" ")[0]!)) continue;
  const started = performance.now();
  process.stdout.write(`running ${name}…`);
  figures.push(...(await run()));
  process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`\n${table(figures, previous)}\n`);
const sideBySide = hubSideBySide(figures, previous);
if (sideBySide) process.stdout.write(`\n${sideBySide}\n`);
if (only.length === 0) {
  writeResults(RESULTS, toResults(figures));
  process.stdout.write(`\nwrote ${RESULTS}\n`);
}
