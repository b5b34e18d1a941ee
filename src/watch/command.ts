import { parseArgs } from "node:util";
import { ConfigError, forAgent, loadConfig } from "../config.js";
import { endpointFor, EndpointDirError } from "./endpoint.js";
import { followInbox, type FollowEvent } from "./follow.js";
import { flatten, monitorLine } from "./line.js";
import { describeDirProblem } from "./publish.js";

export const WATCH_USAGE = `Usage: band-mcp-server watch [--agent <label>]

Follows the inbox of the band-mcp-server already running for this agent (the one that holds its Band
connection) and prints one line per message that reaches it:
  @sender in "room": first 200 characters — call band_wait_for_message
Made for Claude Code's plugin monitors, where the channel is not allowed. It never connects to Band itself:
it reads a socket the server publishes for this user only, waits while no server runs, and follows the next
one when the server restarts. stdout carries only those lines; everything else goes to stderr.

The agent is the server's: BAND_API_KEY (or BAND_API_KEY_<LABEL> with --agent). With no key set, it follows
the only agent whose server runs for this user.

Options:
  --agent <label>   which agent (BAND_API_KEY_<LABEL>; default "default", or the only one)
  -h, --help        show this help
`;

const OPTIONS = { agent: { type: "string" }, help: { type: "boolean", short: "h" } } as const;
/** Message ids already printed: one line per message, even when a restarted server hands it on again. */
const REMEMBERED_IDS = 10_000;
const KEY_VARIABLE = /^(BAND_API_KEY|BAND_AGENT_KEY|THENVOI_API_KEY)(_[A-Z0-9_]+)?$/;

/** `band-mcp-server watch`: runs until a signal; the exit code for anything else. */
export async function runWatch(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const problem = (text: string, code: number) => {
    process.stderr.write(`band-mcp-server watch: ${text}\n`);
    return code;
  };
  const parsed = parseWatchArgs(argv);
  if ("problems" in parsed) return problem(`${parsed.problems.join("; ")}\n\n${WATCH_USAGE}`, 2);
  const values = parsed;
  if (values.help) {
    process.stdout.write(WATCH_USAGE);
    return 0;
  }
  let endpoint: ReturnType<typeof endpointFor> | { dir: string };
  try {
    endpoint = agentEndpoint(env, values.agent);
  } catch (error) {
    if (error instanceof ConfigError) return problem(error.message, 1);
    throw error;
  }

  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop.abort());
  // The monitor closed our stdout: nobody reads the lines any more.
  process.stdout.on("error", () => stop.abort());
  const printed = new Set<string>();
  await followInbox({
    endpoint,
    signal: stop.signal,
    onEvent: (event) => process.stderr.write(`band-mcp-server watch: ${describe(event)}\n`),
    onMessage: (frame) => {
      if (printed.has(frame.id)) return;
      printed.add(frame.id);
      if (printed.size > REMEMBERED_IDS) printed.delete(printed.values().next().value!);
      process.stdout.write(`${monitorLine(frame)}\n`);
    },
  });
  return 0;
}

/** Every problem at once, each unknown flag with the nearest one watch takes. */
function parseWatchArgs(argv: string[]): { agent?: string; help?: boolean } | { problems: string[] } {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const problems = positionals.map((word) => `watch takes no argument "${word}"`);
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as keyof typeof OPTIONS] : undefined;
    if (!spec) problems.push(`unknown option ${token.rawName} for watch (did you mean --${nearest(token.name, Object.keys(OPTIONS))}?)`);
    else if (spec.type === "string" && !token.value) problems.push(`option ${token.rawName} needs a value`);
    else if (spec.type === "boolean" && token.value !== undefined) problems.push(`option ${token.rawName} takes no value`);
  }
  if (problems.length > 0) return { problems };
  return { ...(typeof values.agent === "string" ? { agent: values.agent } : {}), ...(values.help === true ? { help: true } : {}) };
}

/** The candidate with the fewest single-character edits from `word`. */
function nearest(word: string, candidates: string[]): string {
  const distance = (a: string, b: string) => {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = row;
    }
    return previous[b.length]!;
  };
  return candidates.reduce((best, c) => (distance(word, c) < distance(word, best) ? c : best));
}

/** The agent's endpoint from the same settings as the server's; just the folder when no key is set. */
function agentEndpoint(env: NodeJS.ProcessEnv, agent: string | undefined): ReturnType<typeof endpointFor> | { dir: string } {
  const hasKey = Object.keys(env).some((name) => KEY_VARIABLE.test(name) && env[name]?.trim());
  if (!hasKey && agent === undefined) return { dir: endpointFor("", env).dir };
  const config = forAgent(loadConfig(env), agent);
  if (!config.agentKey) throw new ConfigError(["watch follows an agent's inbox: set BAND_API_KEY (or BAND_API_KEY_<LABEL> with --agent)."]);
  return endpointFor(config.agentKey.reveal(), env);
}

function describe(event: FollowEvent): string {
  switch (event.type) {
    case "following":
      return `following the inbox of ${event.agent ? `@${flatten(event.agent.handle, 80)}` : "the agent"} (server pid ${event.pid})${event.channel ? ": it runs as a channel and pushes each message into its session itself, so there is nothing to print" : ""}`;
    case "lost":
      return "the server went away; waiting for it (or its standby) to publish the inbox again";
    case "waiting":
      return event.why === "none"
        ? "no band-mcp-server publishes an inbox for this user yet; waiting for one to start"
        : `several agents' servers run here (${event.handles!.map((h) => `@${flatten(h, 80)}`).join(", ")}): set BAND_API_KEY to say which to follow`;
    case "unsafe":
      return event.error instanceof EndpointDirError ? describeDirProblem(event.error) : `cannot read the endpoint folder: ${String(event.error)}`;
  }
}
