import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { App } from "../app.js";
import type { ToolCallObserver } from "../mcp/register.js";
import { inboxFacts, onDelivery } from "../metered.js";
import { DELIVERY_BUCKETS, type InboxFacts } from "../telemetry/types.js";

/**
 * GET /metrics: Prometheus text per agent (`agent` label), from prom-client with a registry of this server's own.
 * Loaded only in HTTP mode (its own bundle; the stdio server never reads prom-client). Gauges and counters that
 * the inbox already keeps are read when scraped; the hot path only observes a delivery's latency and a tool
 * call's outcome and time. Every series exists for every agent from the start, at zero.
 */
export interface HubMetrics {
  readonly contentType: string;
  /** The text for the agents `visible` allows (what the caller's credentials may see). */
  render(visible: (label: string) => boolean): Promise<string>;
  /** The observer of one agent's MCP tool calls. */
  toolCalls(label: string): ToolCallObserver;
}

export interface MeteredAgent {
  label: string;
  app: App;
  /** The tools its sessions offer: their series exist from the start. */
  tools: readonly string[];
}

/** A tool call: milliseconds (local reads) to the longest wait (50 s). */
const TOOL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const OUTCOMES = ["ok", "error"] as const;

export function createMetrics(agents: readonly MeteredAgent[]): HubMetrics {
  const registry = new Registry();
  const registers = [registry];
  /** Read once per scrape, for every gauge and counter below. */
  let facts = new Map<string, InboxFacts>();

  const gauge = (name: string, help: string, read: (f: InboxFacts) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["agent"],
      registers,
      collect() {
        for (const [agent, f] of facts) this.set({ agent }, read(f));
      },
    });
  // The inbox keeps these totals; a counter read at scrape time is set to them (reset, then one increment).
  const total = (name: string, help: string, read: (f: InboxFacts) => number) =>
    new Counter({
      name,
      help,
      labelNames: ["agent"],
      registers,
      collect() {
        this.reset();
        for (const [agent, f] of facts) this.inc({ agent }, read(f));
      },
    });

  gauge("band_mcp_inbox_pending", "Messages queued in the inbox, not yet handed to a model.", (f) => f.pending);
  gauge("band_mcp_inbox_in_flight", "Messages handed to a model and claimed on Band, not yet marked.", (f) => f.inFlight);
  gauge("band_mcp_connection_up", "1 while the agent's Band socket is connected, else 0.", (f) => f.up);
  total("band_mcp_messages_delivered_total", "Messages delivered to a model and settled.", (f) => f.delivered);
  total("band_mcp_messages_dropped_total", "Local copies dropped on inbox overflow (still unprocessed on Band, delivered later).", (f) => f.dropped);
  total("band_mcp_socket_reconnects_total", "Reconnects of the agent's Band socket.", (f) => f.reconnects);
  const delivery = new Histogram({
    name: "band_mcp_delivery_seconds",
    help: "From Band's inserted_at to the message being handed to a model (each hand-out; a redelivery counts again).",
    labelNames: ["agent"],
    buckets: DELIVERY_BUCKETS,
    registers,
  });
  const calls = new Counter({ name: "band_mcp_tool_calls_total", help: "MCP tool calls by tool and outcome (error: an isError result).", labelNames: ["agent", "tool", "outcome"], registers });
  const seconds = new Histogram({ name: "band_mcp_tool_seconds", help: "MCP tool call duration.", labelNames: ["agent", "tool"], buckets: TOOL_BUCKETS, registers });

  for (const { label: agent, app, tools } of agents) {
    delivery.zero({ agent });
    for (const tool of tools) {
      seconds.zero({ agent, tool });
      for (const outcome of OUTCOMES) calls.inc({ agent, tool, outcome }, 0);
    }
    onDelivery(app, (seconds) => delivery.observe({ agent }, seconds));
  }

  return {
    contentType: registry.contentType,
    async render(visible) {
      facts = new Map(agents.filter((a) => visible(a.label)).map((a) => [a.label, inboxFacts(a.app)]));
      const all = await registry.getMetricsAsJSON();
      // Only the caller's agents, formatted by prom-client itself (its aggregator of registries' JSON).
      const mine = all.map((metric) => ({ ...metric, values: metric.values.filter((v: MetricValue<string>) => visible(String(v.labels.agent))) }) as MetricObjectWithValues<MetricValue<string>>);
      return AggregatorRegistry.aggregate([mine]).metrics();
    },
    toolCalls: (agent) => (tool, outcome, time) => {
      calls.inc({ agent, tool, outcome });
      seconds.observe({ agent, tool }, time);
    },
  };
}
