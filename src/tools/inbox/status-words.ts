import type { DrainFailure, LinkProblem, LoopHold, StatusReport, Stopped } from "../../inbox/live.js";
import type { StandbyState } from "../../inbox/standby.js";

/** A standby in words, for band_status.detail and inbox tool errors. */
export function describeStandby(standby: StandbyState): string {
  const tries = standby.attempts === 1 ? "1 attempt" : `${standby.attempts} attempts`;
  return `Standing by: this server takes the connection over by itself as soon as the other process is gone, never pushing it out (next try at ${standby.next_attempt_at}, ${tries} so far)`;
}

/** A room the loop guard holds, in words. */
function describeLoopHold(hold: LoopHold): string {
  return `chat ${hold.chat_id} is held by the loop guard: ${hold.agent_messages_in_a_row} messages in a row from agents with no person's message between (BAND_LOOP_LIMIT); its ${hold.held} held message(s) stay unprocessed on Band until a person writes there or Band says play, then they come in order`;
}

/** Why Band cannot be used, in words: what happened and what to do (for the model and the first-contact line). */
function describeProblem(problem: LinkProblem): string {
  if (problem.reason === "key_rejected") return `Band rejected the agent key (HTTP ${problem.http_status}); set ${problem.key_variable} to a valid agent key and restart`;
  return `cannot reach Band yet: ${problem.error}`;
}

/** Why the connection is not usable, in words: the problem (with its fix) and the socket's detail, when any. */
export function describeConnectionTrouble({ problem, detail }: Pick<StatusReport, "problem" | "detail">): string {
  return [problem ? describeProblem(problem) : undefined, detail].filter(Boolean).join("; ");
}

/** What Band's agent.control has stopped, in words: one phrase for the agent, one per chat. */
function describeStopped({ agent, chats }: Stopped): string[] {
  const why = (reason?: string) => (reason ? `: ${reason}` : "");
  return [
    ...(agent ? [`delivery paused by Band (agent.control stop${why(agent.reason)}) until it says play`] : []),
    ...chats.map(({ chat_id, reason }) => `delivery in chat ${chat_id} paused by Band (agent.control stop${why(reason)})`),
  ];
}

const describeDrainFailure = ({ chat_id, error, retry_in_seconds }: DrainFailure) => `backlog drain of chat ${chat_id} failed (${error}); retrying in ${retry_in_seconds} s`;

/** The status a model (or the operator's log) reads: the facts it can act on, with what they mean in `detail`. */
export function describeStatus({ problem, stopped, drain_failures, claim_failures, ...report }: StatusReport): Omit<StatusReport, "problem" | "stopped" | "drain_failures" | "claim_failures"> {
  const words = [
    describeConnectionTrouble({ problem, detail: report.detail }),
    ...(stopped ? describeStopped(stopped) : []),
    ...(drain_failures ?? []).map(describeDrainFailure),
    claim_failures ? `${claim_failures} claim(s) failed at Band and were logged` : undefined,
    report.standby ? describeStandby(report.standby) : undefined,
    ...(report.loop_guard ?? []).map(describeLoopHold),
  ].filter(Boolean);
  return words.length > 0 ? { ...report, detail: words.join("; ") } : report;
}
