import type { StatusReport } from "../../inbox/live.js";
import type { StandbyState } from "../../inbox/standby.js";

/** A standby in words, for band_status.detail and inbox tool errors. */
export function describeStandby(standby: StandbyState): string {
  const tries = standby.attempts === 1 ? "1 attempt" : `${standby.attempts} attempts`;
  return `Standing by: this server takes the connection over by itself as soon as the other process is gone, never pushing it out (next try at ${standby.next_attempt_at}, ${tries} so far)`;
}

/** The status a model reads: the facts, with what they mean added to `detail`. */
export function describeStatus(report: StatusReport): StatusReport {
  const words = [report.detail, report.standby ? describeStandby(report.standby) : undefined].filter(Boolean);
  return words.length > 0 ? { ...report, detail: words.join("; ") } : report;
}
