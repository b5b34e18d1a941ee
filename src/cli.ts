#!/usr/bin/env node
import { parseArgs } from "node:util";
import { createApp } from "./app.js";
import { ConfigError, forAgent, loadConfig, secretsOf, type Config, type ConfigFlags } from "./config.js";
import { runDoctor } from "./doctor.js";
import { keyRejection } from "./first-contact.js";
import { AgentRegistry } from "./hub/registry.js";
import { createLogger, type Logger } from "./log.js";
import { listeningLine } from "./http/announce.js";
import { startHttpServer, type HttpHandle } from "./http/server.js";
import { createMcpServer, toolsOf } from "./mcp/server.js";
import { BatchedStdioServerTransport } from "./mcp/stdio.js";
import { HOSTS, selfCommand, setupText, terminalHint, type HostName } from "./setup.js";
import { enableTracing, tracing } from "./telemetry/tracing.js";
import { VERSION } from "./version.js";
import { runWatch } from "./watch/command.js";
import { publishInbox } from "./watch/publish.js";

const USAGE = `Usage: band-mcp-server [options]            serve MCP over stdio (default)
       band-mcp-server --http [options]     serve every agent over Streamable HTTP (/mcp, /agents/<label>/mcp),
                                            a REST surface for backends, GET /agents and GET /health
       band-mcp-server doctor [options]     check settings, key, REST and the live socket, then exit
       band-mcp-server --sandbox            serve MCP over stdio on a local demo Band, with a web chat (no key needed)
       band-mcp-server sandbox [--port n]   run only the local demo Band and its web chat (port 8790, or the next free one)
       band-mcp-server setup [host] [--sandbox]
                                            print the config that starts this server, for one host or all:
                                            ${HOSTS.join(", ")}
       band-mcp-server watch [--agent l]    print one line per message reaching the running server's inbox
                                            (Claude Code plugin monitor; see watch --help)

Options:
  --http                  serve Streamable HTTP instead of stdio (many sessions share each agent's Band connection)
  --agent <label>         stdio: which agent to serve (BAND_API_KEY_<LABEL>; default "default", or the only one)
  --host <host>           HTTP bind address (default 127.0.0.1; anything else needs BAND_MCP_HTTP_TOKEN)
  --port <port>           HTTP port (default 8787; 0 picks a free one, printed on stderr); with sandbox or
                          --sandbox, the sandbox's port (default: the first free one from 8790; a --port that
                          is taken is an error)
  --sandbox               serve stdio on an embedded sandbox: a local Band with a demo agent and a web chat
  --base-url <url>        Band REST base (BAND_BASE_URL, default https://app.band.ai)
  --ws-url <url>          Band socket base (BAND_WS_URL, derived from the base URL)
  --toolsets <list>       comma list or "all" (BAND_TOOLSETS, default inbox,chats,messages,participants)
  --read-only             expose only read-only tools (BAND_READ_ONLY)
  --no-live               tools only: no socket, no inbox (BAND_LIVE=false)
  --inbox-capacity <n>    messages held in memory (BAND_INBOX_CAPACITY, default 1000)
  --inbox-max-bytes <n>   bytes of message text held in memory (BAND_INBOX_MAX_BYTES, default 33554432 = 32 MB)
  --log-level <level>     error | warn | info | debug, logs go to stderr (BAND_LOG_LEVEL)
  --resync-seconds <n>    re-check Band for missed messages after n s without a delivery; 0 disables
                          (BAND_RESYNC_SECONDS, default 60)
  --standby-seconds <n>   while another process holds this agent's socket, try to take over at least
                          every n s, never superseding it (BAND_STANDBY_SECONDS, default 30)
  --claim-timeout-seconds <n>  a message handed out and never marked is handed out again after n s; the
                          agent's own activity in its chat restarts the clock (BAND_CLAIM_TIMEOUT_SECONDS, default 1800)
  --loop-limit <n>        hold a room after n agent messages in a row with no person's message between;
                          0 disables (BAND_LOOP_LIMIT, default 25)
  --channel               push each inbox message into Claude Code as a channel notification (BAND_CHANNEL);
                          stdio only. Permission relay: BAND_PERMISSION_APPROVERS, BAND_PERMISSION_CHAT_ID
  -h, --help              show this help
  -v, --version           print the version

Secrets come from the environment only: BAND_API_KEY (agent key; BAND_API_KEY_<LABEL> adds an agent labelled
<label>), BAND_USER_KEY (user key), BAND_MCP_HTTP_TOKEN (bearer token HTTP clients must send; per agent
BAND_MCP_HTTP_TOKEN_<LABEL>; BAND_MCP_HTTP_JWT_SECRET for HS256 JWTs). HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.
`;

const OPTIONS = {
  http: { type: "boolean" },
  sandbox: { type: "boolean" },
  agent: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  "base-url": { type: "string" },
  "ws-url": { type: "string" },
  toolsets: { type: "string" },
  "read-only": { type: "boolean" },
  "no-live": { type: "boolean" },
  "inbox-capacity": { type: "string" },
  "inbox-max-bytes": { type: "string" },
  "log-level": { type: "string" },
  "resync-seconds": { type: "string" },
  "standby-seconds": { type: "string" },
  "claim-timeout-seconds": { type: "string" },
  "loop-limit": { type: "string" },
  channel: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

interface Invocation {
  command: "serve" | "doctor" | "sandbox" | "setup" | "help" | "version";
  flags: ConfigFlags;
  /** Present for `--http`: where to listen. */
  http?: { host: string; port: number };
  /** Present for `sandbox` and `--sandbox`: the local Band's port, when --port names one. */
  sandbox?: { port?: number };
  /** stdio: the label of the agent to serve. */
  agent?: string;
  /** Present for `setup`: which host's config to print (all when absent), and for which server. */
  setup?: { host?: HostName; sandbox: boolean };
}

const DEFAULT_HTTP = { host: "127.0.0.1", port: 8787 };

/** Parses argv, collecting every problem rather than stopping at the first. */
function parseInvocation(argv: string[]): Invocation | { problems: string[] } {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    // Own keys only: "--constructor" must be unknown, not Object.prototype's member.
    const spec = Object.hasOwn(OPTIONS, token.name) ? (OPTIONS as Record<string, { type: string }>)[token.name] : undefined;
    if (!spec) problems.push(`unknown option ${token.rawName}`);
    else if (spec.type === "string" && (token.value === undefined || token.value === "")) problems.push(`option ${token.rawName} needs a value`);
    else if (spec.type === "boolean" && token.value !== undefined) problems.push(`option ${token.rawName} takes no value`);
  }
  const [command, ...extra] = positionals;
  if (command === "setup") return parseSetup(tokens, extra, problems);
  const doctor = command === "doctor";
  const sandboxCommand = command === "sandbox";
  for (const positional of doctor || sandboxCommand ? extra : positionals) problems.push(`unknown command "${positional}"`);
  const str = (name: keyof typeof OPTIONS) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const port = str("port");
  const sandbox = sandboxCommand || values.sandbox === true;
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) problems.push(`--port "${port}" must be a port number from 0 to 65535`);
  if (!values.http) for (const name of ["host", "port"] as const) if (str(name) !== undefined && !(name === "port" && sandbox)) problems.push(`--${name} needs --http`);
  if (values.http && doctor) problems.push("doctor does not take --http");
  if (sandbox && (values.http || doctor)) problems.push(`${sandboxCommand ? "sandbox" : "--sandbox"} does not take ${doctor ? "doctor" : "--http"} (serve --http against \`band-mcp-server sandbox\` instead)`);
  if (sandbox) for (const name of ["base-url", "ws-url"] as const) if (str(name) !== undefined) problems.push(`--${name} does not go with the sandbox, which is the Band to connect to`);
  if (values.http && values.channel) problems.push("--channel pushes into one Claude Code session over stdio; it does not work with --http");
  if (str("agent") !== undefined && (values.http || doctor)) problems.push(`--agent is for stdio: ${doctor ? "doctor checks" : "--http serves"} every configured agent`);
  if (problems.length > 0) return { problems };
  if (values.help) return { command: "help", flags: {} };
  if (values.version) return { command: "version", flags: {} };
  return {
    command: doctor ? "doctor" : sandboxCommand ? "sandbox" : "serve",
    ...(values.http ? { http: { host: str("host") ?? DEFAULT_HTTP.host, port: port === undefined ? DEFAULT_HTTP.port : Number(port) } } : {}),
    ...(sandbox ? { sandbox: port === undefined ? {} : { port: Number(port) } } : {}),
    ...(str("agent") !== undefined ? { agent: str("agent") } : {}),
    flags: {
      baseUrl: str("base-url"),
      wsUrl: str("ws-url"),
      toolsets: str("toolsets"),
      inboxCapacity: str("inbox-capacity"),
      inboxMaxBytes: str("inbox-max-bytes"),
      logLevel: str("log-level"),
      resyncSeconds: str("resync-seconds"),
      standbySeconds: str("standby-seconds"),
      claimTimeoutSeconds: str("claim-timeout-seconds"),
      loopLimit: str("loop-limit"),
      ...(values["read-only"] ? { readOnly: true } : {}),
      ...(values["no-live"] ? { live: false } : {}),
      ...(values.channel ? { channel: true } : {}),
    },
  };
}

/** `setup [host] [--sandbox]`: only these; every other flag or word is a problem. */
function parseSetup(tokens: ReturnType<typeof parseArgs>["tokens"] & object, extra: string[], problems: string[]): Invocation | { problems: string[] } {
  const [host, ...more] = extra;
  if (host !== undefined && !(HOSTS as readonly string[]).includes(host)) problems.push(`setup: unknown host "${host}" (one of ${HOSTS.join(", ")})`);
  for (const word of more) problems.push(`setup: unexpected "${word}"`);
  let sandbox = false;
  let help = false;
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (token.name === "sandbox") sandbox = true;
    else if (token.name === "help") help = true;
    else if (Object.hasOwn(OPTIONS, token.name)) problems.push(`setup does not take ${token.rawName} (only --sandbox)`);
  }
  if (problems.length > 0) return { problems };
  if (help) return { command: "help", flags: {} };
  return { command: "setup", flags: {}, setup: { sandbox, ...(host ? { host: host as HostName } : {}) } };
}

/** Closes everything on the first shutdown signal; whatever hangs, the process is gone within 2 s (never outlive the host). */
function exitOnShutdown(log: Logger, closeAll: () => Promise<unknown>, options: { onStdinClose: boolean }): (reason: string) => Promise<void> {
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    log.info(`shutting down (${reason})`);
    setTimeout(() => process.exit(0), 1_500).unref();
    await closeAll().catch(() => undefined);
    await tracing().shutdown().catch(() => undefined);
    process.exit(0);
  };
  if (options.onStdinClose) {
    process.stdin.on("end", () => void shutdown("stdin closed"));
    process.stdin.on("close", () => void shutdown("stdin closed"));
  }
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  return shutdown;
}

async function serveStdio(config: Config, log: Logger, options: { sandbox: boolean }): Promise<void> {
  // A person ran it in a terminal: say what it is instead of waiting silently for JSON-RPC.
  if (process.stdin.isTTY) process.stderr.write(terminalHint({ self: selfCommand(), sandbox: options.sandbox }));
  const app = createApp(config, log);
  // Before the host's initialize is answered: a host must not count a rejected key as connected.
  const rejection = app.agent ? await keyRejection(app.agent, app.agentKeyVariable) : undefined;
  if (rejection) {
    process.stderr.write(`band-mcp-server: ${rejection}\n`);
    await app.close();
    process.exit(1);
  }
  const server = createMcpServer(app);
  const publisher = publishInbox(app);
  const shutdown = exitOnShutdown(log, async () => {
    await publisher?.close();
    await server.close().catch(() => undefined);
    await app.close();
  }, { onStdinClose: true });
  const transport = new BatchedStdioServerTransport();
  // The SDK's transport closes itself and pauses stdin on a line over its 10 MB limit, and only reports a broken
  // stdin: either way no request can arrive any more, so the process says why and exits (guarantee 7).
  // The fatal error comes synchronously just before the close; one about a single bad line is forgotten at once.
  let problem: string | undefined;
  transport.onerror = (error) => {
    problem = error.message;
    queueMicrotask(() => (problem = undefined));
  };
  transport.onclose = () => {
    if (problem) log.error(`stdin can no longer be read: ${problem}`);
    problem = undefined;
    void shutdown("the stdio transport closed");
  };
  process.stdin.on("error", (error) => {
    log.error(`stdin can no longer be read: ${error.message}`);
    void shutdown("stdin failed");
  });
  await server.connect(transport);
  await app.start();
  log.info(`band-mcp-server ${VERSION} ready on stdio`);
}

async function serveHttp(config: Config, log: Logger, where: { host: string; port: number }): Promise<void> {
  const registry = AgentRegistry.create(config, log);
  const { createMetrics } = await loadMetrics();
  const metrics = createMetrics(registry.entries().map(([label, app]) => ({ label, app, tools: toolsOf(app).map((t) => t.name) })));
  let http: HttpHandle;
  try {
    http = await startHttpServer(registry, { ...where, metrics });
  } catch (error) {
    process.stderr.write(`band-mcp-server: ${error instanceof ConfigError ? error.message : listenProblem(error, where)}\n`);
    await registry.close();
    process.exit(1);
  }
  const publishers = registry.entries().map(([, app]) => publishInbox(app));
  exitOnShutdown(log, async () => {
    await Promise.all(publishers.map((p) => p?.close()));
    await http.close().catch(() => undefined);
    await registry.close();
  }, { onStdinClose: false });
  await registry.start();
  process.stderr.write(listeningLine(VERSION, http, registry.labels));
}

/**
 * The sandbox is a bundle of its own (dist/sandbox/main.js), imported by a path the bundler leaves alone, so
 * the plain server never loads or parses it.
 */
/** Likewise the metrics (prom-client): loaded in HTTP mode only, so stdio's cold start never pays for them. */
const METRICS_ENTRY = "./http/metrics.js";
const loadMetrics = (): Promise<typeof import("./http/metrics.js")> => import(METRICS_ENTRY);

const SANDBOX_ENTRY = "./sandbox/main.js";
const loadSandbox = (): Promise<typeof import("./sandbox/main.js")> => import(SANDBOX_ENTRY);

/** The sandbox on the port asked for (or the first free one from 8790), or exit 1 saying why: never a silent move. */
async function startSandboxOrExit(where: { port?: number }) {
  const { startSandbox, sandboxDir } = await loadSandbox();
  const dir = sandboxDir(process.env);
  return startSandbox({ ...where, dir }).catch((error: unknown) => {
    const { first, last, syscall } = error as { first?: number; last?: number; syscall?: unknown };
    const problem =
      where.port === undefined && first !== undefined
        ? `ports ${first} to ${last} on 127.0.0.1 are all in use (other sandboxes?): pick one with --port (0 picks any free one).`
        : syscall === "listen"
          ? listenProblem(error, { host: "127.0.0.1", port: where.port ?? 0 })
          : `cannot keep the sandbox's world in ${dir} (${error instanceof Error ? error.message : String(error)}): set BAND_SANDBOX_DIR to a folder you can write.`;
    process.stderr.write(`band-mcp-server: ${problem}\n`);
    process.exit(1);
  });
}

/** `band-mcp-server sandbox`: the local Band alone, until a signal. Its settings go to stdout, to be sourced. */
async function runSandbox(where: { port?: number }): Promise<void> {
  const { describeSandbox } = await loadSandbox();
  const sandbox = await startSandboxOrExit(where);
  const stop = () => void sandbox.close().finally(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // After the handlers: whoever reads these lines may stop the sandbox at once.
  process.stdout.write(describeSandbox(sandbox));
}

/**
 * `--sandbox`: an embedded local Band, and the environment that points the server at it as the demo agent.
 * The real account's keys (and any proxy) are left out, so they never reach the sandbox.
 */
async function embedSandbox(where: { port?: number }): Promise<{ env: Record<string, string | undefined>; chatUrl: string }> {
  const sandbox = await startSandboxOrExit(where);
  const { describeStorage } = await loadSandbox();
  process.stderr.write(
    `band-mcp-server: sandbox chat at ${sandbox.chatUrl} — pick who you are there; a message that @mentions @${sandbox.demo.agent.handle} reaches this server.\n` +
      describeStorage(sandbox.storage).map((line) => `band-mcp-server: ${line}\n`).join(""),
  );
  const env: Record<string, string | undefined> = { ...process.env, BAND_API_KEY: sandbox.agentKey, BAND_BASE_URL: sandbox.url };
  // The only Band is on loopback: a proxy would only be in the way.
  for (const name of ["BAND_AGENT_KEY", "THENVOI_API_KEY", "BAND_USER_KEY", "BAND_WS_URL", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("BAND_API_KEY_")) delete env[name];
  return { env, chatUrl: sandbox.chatUrl };
}

function listenProblem(error: unknown, where: { host: string; port: number }): string {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return `port ${where.port} on ${where.host} is already in use: pick another with --port (0 picks a free one).`;
  if (code === "EACCES") return `no permission to listen on port ${where.port}: use a port above 1023.`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return `cannot listen on --host ${where.host}: it is not an address of this machine.`;
  return `cannot start the HTTP server: ${error instanceof Error ? error.message : String(error)}`;
}

async function main(argv: string[]): Promise<void> {
  // watch has flags of its own and never serves: it follows a server that does.
  if (argv[0] === "watch") process.exit(await runWatch(argv.slice(1)));
  const invocation = parseInvocation(argv);
  if ("problems" in invocation) {
    process.stderr.write(`band-mcp-server: ${invocation.problems.join("; ")}\n\n${USAGE}`);
    process.exit(2);
  }
  if (invocation.command === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (invocation.command === "version") {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (invocation.command === "doctor") {
    process.exit(await runDoctor(process.env, invocation.flags, (text) => process.stdout.write(text)));
  }
  if (invocation.command === "sandbox") return runSandbox(invocation.sandbox!);
  if (invocation.command === "setup") {
    process.stdout.write(setupText({ self: selfCommand(), nodePath: process.execPath, ...invocation.setup! }));
    return;
  }
  const sandbox = invocation.sandbox ? await embedSandbox(invocation.sandbox) : undefined;
  let config: Config;
  try {
    config = loadConfig(sandbox?.env ?? process.env, sandbox ? { ...invocation.flags, sandboxChatUrl: sandbox.chatUrl } : invocation.flags);
    // stdio serves one agent; --http all of them.
    if (!invocation.http) config = forAgent(config, invocation.agent);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`band-mcp-server: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel, secretsOf(config));
  for (const warning of config.warnings) log.warn(warning);
  process.on("uncaughtException", (error) => log.error("uncaught exception", { error }));
  process.on("unhandledRejection", (error) => log.error("unhandled rejection", { error }));
  if (invocation.http && config.channel) {
    process.stderr.write("band-mcp-server: BAND_CHANNEL=true pushes into one Claude Code session over stdio; unset it to serve --http.\n");
    process.exit(2);
  }
  if (config.otel.enabled) await enableTracing(VERSION);
  if (invocation.http) await serveHttp(config, log, invocation.http);
  else await serveStdio(config, log, { sandbox: sandbox !== undefined });
}

await main(process.argv.slice(2));
