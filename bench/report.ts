import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

export interface Target {
  op: "<" | "<=" | ">=" | "=";
  value: number;
}

export interface Figure {
  /** Stable key in results.json. */
  key: string;
  label: string;
  value: number;
  unit: string;
  target?: Target;
  /** Why a figure has no target, or how it was measured. */
  note?: string;
}

export interface Results {
  machine: { cpu: string; cpus: number; memoryGb: number; node: string; platform: string };
  date: string;
  figures: Record<string, { value: number; unit: string; target?: string; pass?: boolean; note?: string }>;
}

export function machine(): Results["machine"] {
  const list = cpus();
  return { cpu: list[0]?.model.trim() ?? "unknown", cpus: list.length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
}

export function passes(figure: Figure): boolean | undefined {
  const t = figure.target;
  if (!t) return undefined;
  switch (t.op) {
    case "<":
      return figure.value < t.value;
    case "<=":
      return figure.value <= t.value;
    case ">=":
      return figure.value >= t.value;
    case "=":
      return figure.value === t.value;
  }
}

/** Three significant digits are plenty for timings on a shared machine, and keep results.json diffs small. */
const round = (value: number) => (value === 0 || Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3)));

export function toResults(figures: Figure[]): Results {
  const out: Results["figures"] = {};
  for (const f of figures) {
    const pass = passes(f);
    out[f.key] = {
      value: round(f.value),
      unit: f.unit,
      ...(f.target ? { target: `${f.target.op} ${f.target.value}` } : {}),
      ...(pass === undefined ? {} : { pass }),
      ...(f.note ? { note: f.note } : {}),
    };
  }
  return { machine: machine(), date: new Date().toISOString(), figures: out };
}

export function readPrevious(path: string): Results | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Results;
  } catch {
    return undefined;
  }
}

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

export function table(figures: Figure[], previous: Results | undefined): string {
  const rows = figures.map((f) => {
    const pass = passes(f);
    const before = previous?.figures[f.key]?.value;
    return [
      f.label,
      `${round(f.value)} ${f.unit}`,
      f.target ? `${f.target.op} ${f.target.value} ${f.unit}` : "-",
      pass === undefined ? "-" : pass ? "pass" : "FAIL",
      before === undefined ? "-" : `${before} (x${before === 0 ? "-" : (f.value / before).toFixed(2)})`,
    ];
  });
  const header = ["figure", "value", "target", "", "previous (ratio)"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.label}: ${f.note}`);
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), ...(notes.length ? ["", "notes:", ...notes] : [])].join("\n");
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** The 50-agent and 1,000-agent hubs side by side: this run's figures, else the previous run's (marked). */
export function hubSideBySide(figures: Figure[], previous: Results | undefined): string | undefined {
  const current = new Map(figures.map((f) => [f.key, f.value]));
  if (![...current.keys()].some((k) => k.startsWith("hub"))) return undefined;
  const cell = (key: string, unit: string) => {
    const value = current.get(key);
    if (value !== undefined) return `${round(value)} ${unit}`;
    const before = previous?.figures[key]?.value;
    return before === undefined ? "-" : `${before} ${unit} (previous run)`;
  };
  const rows = [
    ["all connected and joined", "hub_connected_ms", "hub1000_connected_ms", "ms"],
    ["RSS", "hub_rss_mb", "hub1000_rss_mb", "MB"],
    ["RSS per agent", "hub_rss_per_agent_mb", "hub1000_rss_per_agent_mb", "MB"],
    ["push→delivery p50, all live", "hub_latency_p50_ms", "hub1000_latency_p50_ms", "ms"],
    ["push→delivery p99, all live", "hub_latency_p99_ms", "hub1000_latency_p99_ms", "ms"],
  ].map(([what, small, large, unit]) => [what!, cell(small!, unit!), cell(large!, unit!)]);
  const header = ["hub", "50 agents × 20 rooms", "1,000 agents × 5 rooms"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
