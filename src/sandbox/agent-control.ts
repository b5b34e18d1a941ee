/**
 * Band's controls for an agent, from the web chat: `agent.control` on the agent's `agent_control:{id}` topic,
 * as PROTOCOL.md §5.5 describes and Band's SDKs receive it: `{mode, scope: "agent", agent_id, correlation_id}`
 * for every room, plus `room_id` for one room (the Python SDK routes by `room_id`, whatever `scope` says).
 * Each event has a fresh `correlation_id` (clients dedupe on it). What is paused is remembered here so every
 * page shows it; the agent keeps its own account (band_status).
 */
import { randomUUID } from "node:crypto";
import { sendControl, type SendFrame } from "./socket-frames.js";

export const CONTROL_MODES = ["interrupt", "stop", "play"] as const;
export type ControlMode = (typeof CONTROL_MODES)[number];

/** What is stopped for one agent: every room, and/or some rooms. */
export interface Paused {
  agent: boolean;
  rooms: string[];
}

export type ControlOutcome = { sent: true; correlationId: string; paused: Paused } | { sent: false };

export class AgentControls {
  readonly #stopped = new Map<string, { agent: boolean; rooms: Set<string> }>();

  constructor(
    private readonly sendFrame: SendFrame,
    private readonly onChange: (agentId: string, paused: Paused) => void,
  ) {}

  send(agentId: string, mode: ControlMode, roomId: string | undefined, reason: string | undefined): ControlOutcome {
    const correlationId = `sandbox-${randomUUID()}`;
    const payload = {
      type: "agent.control",
      mode,
      scope: "agent",
      agent_id: agentId,
      ...(roomId === undefined ? {} : { room_id: roomId }),
      ...(reason === undefined ? {} : { reason }),
      correlation_id: correlationId,
    };
    if (!sendControl(this.sendFrame, agentId, payload)) return { sent: false };
    const state = this.#stopped.get(agentId) ?? { agent: false, rooms: new Set<string>() };
    if (mode === "stop" && roomId === undefined) state.agent = true;
    if (mode === "stop" && roomId !== undefined) state.rooms.add(roomId);
    // Play for the agent resumes every room, as the agent's own account of it does.
    if (mode === "play" && roomId === undefined) {
      state.agent = false;
      state.rooms.clear();
    }
    if (mode === "play" && roomId !== undefined) state.rooms.delete(roomId);
    this.#stopped.set(agentId, state);
    const paused = this.paused(agentId);
    if (mode !== "interrupt") this.onChange(agentId, paused);
    return { sent: true, correlationId, paused };
  }

  paused(agentId: string): Paused {
    const state = this.#stopped.get(agentId);
    return { agent: state?.agent ?? false, rooms: [...(state?.rooms ?? [])] };
  }
}
