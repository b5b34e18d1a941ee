import { BandApiError, type BandClient } from "./band/http.js";
import type { StatusReport } from "./inbox/live.js";
import type { Logger } from "./log.js";
import { describeConnectionTrouble } from "./tools/inbox/status-words.js";

/**
 * First contact with Band, made visible: a key Band rejects stops a single-agent stdio server before its host
 * counts it as connected, and one info line says how the start went (connected, rejected, standing by, or not
 * answering yet) with what to do about it.
 */

/** How long the stdio server waits for Band's first answer before it starts anyway. */
export const FIRST_ANSWER_MS = 3_000;
/** How long the start may take before the log says Band has not answered yet. */
const REPORT_AFTER_MS = 5_000;

/**
 * One identity call, bounded in time. Returns why the server must not start (Band rejected the key), or
 * undefined: accepted, or no answer in time (the server starts, and band_status reports it).
 */
export async function keyRejection(agent: BandClient, keyVariable: string, withinMs = FIRST_ANSWER_MS): Promise<string | undefined> {
  try {
    await agent.call("getAgentMe", { signal: AbortSignal.timeout(withinMs) });
    return undefined;
  } catch (error) {
    if (!(error instanceof BandApiError) || (error.status !== 401 && error.status !== 403)) return undefined;
    const why = error.status === 401 ? "does not know this key" : "refuses this key for the agent API (is it a user key?)";
    return `Band rejected ${keyVariable} (HTTP ${error.status}: Band ${why}). Set ${keyVariable} to the agent key from the agent's page on Band (band_a_…), or run with --sandbox to try without an account.`;
  }
}

/** What the live service tells about itself, for the report. */
export interface LiveFacts {
  status(): StatusReport;
  readonly roomsListed: boolean;
  rooms(): unknown[];
  onStatusChanged(listener: () => void): () => void;
}

/** The line for the start so far, or undefined while it is still too early to say. */
function firstContactLine(live: LiveFacts, baseUrl: string, late: boolean): { line: string; final: boolean } | undefined {
  const status = live.status();
  const why = describeConnectionTrouble(status);
  const detail = why ? `: ${why}` : "";
  if (status.connection === "connected" && live.roomsListed && status.agent) {
    const rooms = live.rooms().length;
    return { line: `connected to Band as @${status.agent.handle} with ${rooms} room${rooms === 1 ? "" : "s"}; @mentions now reach the inbox`, final: true };
  }
  if (status.connection === "unauthorized") return { line: `not connected${detail}`, final: true };
  if (status.connection === "conflict") {
    return { line: `standing by${detail}. REST tools work meanwhile; stop the other process using this agent's key to take over`, final: true };
  }
  if (!late) return undefined;
  return {
    line: `not connected yet: Band at ${baseUrl} has not answered${detail}. Retrying in the background (band_status shows progress); check BAND_BASE_URL, the network or the proxy (HTTPS_PROXY)`,
    final: false,
  };
}

/** Logs how the start went, once it is known; after a "not yet", once more when it connects. Returns a stop. */
export function reportFirstContact(live: LiveFacts, log: Logger, baseUrl: string): () => void {
  let late = false;
  let lastLine: string | undefined;
  const check = () => {
    const report = firstContactLine(live, baseUrl, late);
    if (!report || report.line === lastLine) return;
    lastLine = report.line;
    log.info(report.line);
    if (report.final) stop();
    // Said once: from now on only the outcome (connected, rejected, standing by) is worth a line.
    else late = false;
  };
  const timer = setTimeout(() => {
    late = true;
    check();
  }, REPORT_AFTER_MS);
  timer.unref();
  const off = live.onStatusChanged(check);
  function stop(): void {
    clearTimeout(timer);
    off();
  }
  return stop;
}
