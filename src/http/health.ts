import type { App } from "../app.js";
import type { ConnectionState } from "../inbox/live.js";
import type { StandbyState } from "../inbox/standby.js";
import type { AgentRegistry } from "../hub/registry.js";

/** What the health paths and GET /agents report; nothing here is secret (no keys, no tokens, no messages). */

interface AgentState {
  connection: ConnectionState;
  inbox: { pending: number; in_flight: number };
  /** Another process holds the agent: this one stands by to take over (attempts, next attempt's time). */
  standby?: StandbyState;
}

function stateOf(app: App): AgentState {
  const status = app.live?.status();
  return {
    connection: status?.connection ?? "disabled",
    inbox: { pending: status?.inbox.pending ?? 0, in_flight: status?.inbox.in_flight ?? 0 },
    ...(status?.standby ? { standby: status.standby } : {}),
  };
}

/** Tools-only mode (BAND_LIVE=false) has no socket to be down. */
const healthy = (state: AgentState) => state.connection === "connected" || state.connection === "disabled";

/** GET /agents/<label>/health. */
export function agentHealth(app: App, sessions: number) {
  const state = stateOf(app);
  return { ok: healthy(state), agentConnected: state.connection === "connected", connection: state.connection, sessions, inbox: state.inbox, ...(state.standby ? { standby: state.standby } : {}) };
}

/** GET /health: `ok` only when every agent is connected. With one agent, its `connection` too. */
export function hubHealth(registry: AgentRegistry, sessions: number) {
  const states = registry.entries().map(([, app]) => stateOf(app));
  const connected = states.filter((s) => s.connection === "connected").length;
  return {
    ok: states.every(healthy),
    agentConnected: connected === states.length,
    ...(states.length === 1 ? { connection: states[0]!.connection } : {}),
    agents: { total: states.length, connected },
    sessions,
    inbox: {
      pending: states.reduce((n, s) => n + s.inbox.pending, 0),
      in_flight: states.reduce((n, s) => n + s.inbox.in_flight, 0),
    },
  };
}

/** GET /agents: one entry per agent the caller may use. */
export async function agentList(entries: [string, App][], sessionsOf: (label: string) => number) {
  return Promise.all(
    entries.map(async ([label, app]) => {
      const status = await app.status();
      return { label, agent: status.agent, connection: status.connection, sessions: sessionsOf(label), inbox: { pending: status.inbox.pending, in_flight: status.inbox.in_flight } };
    }),
  );
}
