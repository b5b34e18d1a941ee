import { ConfigError, forAgent, loadConfig } from "../config.js";
import { parseCommandLine } from "../settings/argv.js";
import { helpText } from "../settings/help.js";
import { KEY_VARIABLE, KEY_VARIABLES, SETTINGS } from "../settings/table.js";
import { endpointFor, EndpointDirError } from "./endpoint.js";
import { followInbox, type FollowEvent } from "./follow.js";
import { flatten, monitorLine } from "./line.js";
import { describeDirProblem } from "./publish.js";

/** Message ids already printed: one line per message, even when a restarted server hands it on again. */
const REMEMBERED_IDS = 10_000;
/** A key for the default agent or a labelled one, under any of its names. */
const KEY_VARIABLE_NAME = new RegExp(`^(${KEY_VARIABLES.join("|")})(_[A-Z0-9_]+)?$`);

/** `band-mcp-server watch`: runs until a signal; the exit code for anything else. */
export async function runWatch(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const problem = (text: string, code: number) => {
    process.stderr.write(`band-mcp-server watch: ${text}\n`);
    return code;
  };
  const parsed = parseCommandLine(argv, "watch");
  if ("problems" in parsed) return problem(`${parsed.problems.join("; ")}\n\n${helpText("watch")}`, 2);
  if (parsed.given.help) {
    process.stdout.write(helpText("watch"));
    return 0;
  }
  let endpoint: ReturnType<typeof endpointFor> | { dir: string };
  try {
    endpoint = agentEndpoint(env, parsed.given.agent);
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

/** The agent's endpoint from the same settings as the server's; just the folder when no key is set. */
function agentEndpoint(env: NodeJS.ProcessEnv, agent: string | undefined): ReturnType<typeof endpointFor> | { dir: string } {
  const hasKey = Object.keys(env).some((name) => KEY_VARIABLE_NAME.test(name) && env[name]?.trim());
  if (!hasKey && agent === undefined) return { dir: endpointFor("", env).dir };
  const config = forAgent(loadConfig(env), agent);
  if (!config.agentKey) throw new ConfigError([`watch follows an agent's inbox: set ${KEY_VARIABLE} (or ${SETTINGS.agentKeys.env} with --agent).`]);
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
        : `several agents' servers run here (${event.handles!.map((h) => `@${flatten(h, 80)}`).join(", ")}): set ${KEY_VARIABLE} to say which to follow`;
    case "unsafe":
      return event.error instanceof EndpointDirError ? describeDirProblem(event.error) : `cannot read the endpoint folder: ${String(event.error)}`;
  }
}
