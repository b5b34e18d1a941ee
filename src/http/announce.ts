import { DEFAULT_AGENT } from "../config.js";

/** Labels named in the line: a hub of a thousand agents would otherwise print several kilobytes. */
const LABELS_LISTED = 20;

/**
 * The line `--http` prints once every agent has started, at every log level: with --port 0 it is how a
 * supervisor (or a test) learns the port.
 */
export function listeningLine(version: string, http: { url: string; base: string }, labels: readonly string[]): string {
  const url = labels.includes(DEFAULT_AGENT) ? http.url : `${http.base}/agents/${labels[0]}/mcp`;
  const named = labels.length > LABELS_LISTED ? `${labels.slice(0, LABELS_LISTED).join(", ")} and ${labels.length - LABELS_LISTED} more (GET /agents lists them)` : labels.join(", ");
  const agents = labels.length > 1 || !labels.includes(DEFAULT_AGENT) ? ` (agents: ${named}, each at ${http.base}/agents/<label>/mcp)` : "";
  return `band-mcp-server ${version} listening on ${url}${agents}\n`;
}
