#!/usr/bin/env node
import { createApp } from "./app.js";
import { ConfigError, DEFAULT_AGENT, forAgent, loadConfig, secretsOf, type Config } from "./config.js";
import { keyRejection } from "./first-contact.js";
import { createLogger, type Logger } from "./log.js";
import type { HttpHandle } from "./http/server.js";
import { createMcpServer, toolsOf } from "./mcp/server.js";
import { BatchedStdioServerTransport } from "./mcp/stdio.js";
import { configFlags, parseCommandLine, type CommandLine } from "./settings/argv.js";
import { helpText } from "./settings/help.js";
import { KEY_VARIABLE, KEY_VARIABLES, prefixOf, SETTINGS, type Command } from "./settings/table.js";
import { selfCommand, setupText, terminalHint, type HostName } from "./setup.js";
import { meteredInbox } from "./metered.js";
import { enableTelemetry, telemetry } from "./telemetry/telemetry.js";
import { VERSION } from "./version.js";
import { publishInbox } from "./watch/publish.js";

/** Closes everything on the first shutdown signal; whatever hangs, the process is gone within 2 s (never outlive the host). */
function exitOnShutdown(log: Logger, closeAll: () => Promise<unknown>, options: { onStdinClose: boolean }): (reason: string) => Promise<void> {
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    log.info(`shutting down (${reason})`);
    setTimeout(() => process.exit(0), 1_500).unref();
    await closeAll().catch(() => undefined);
    await telemetry().shutdown().catch(() => undefined);
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
  telemetry().meterInbox(meteredInbox(config.agents[0]?.label ?? DEFAULT_AGENT, app));
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

/** HTTP mode's modules are imported here, not at the top (likewise doctor and watch): a stdio start never reads them. */
async function serveHttp(config: Config, log: Logger, where: { host: string; port: number }): Promise<void> {
  const [{ AgentRegistry }, { startHttpServer }, { listeningLine }, { createMetrics }] = await Promise.all([
    import("./hub/registry.js"),
    import("./http/server.js"),
    import("./http/announce.js"),
    loadMetrics(),
  ]);
  const registry = AgentRegistry.create(config, log);
  for (const [label, app] of registry.entries()) telemetry().meterInbox(meteredInbox(label, app));
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
  const env: Record<string, string | undefined> = { ...process.env, [KEY_VARIABLE]: sandbox.agentKey, [SETTINGS.baseUrl.env]: sandbox.url };
  // The only Band is on loopback: a proxy would only be in the way.
  const { userKey, wsUrl, httpsProxy, httpProxy, agentKeys } = SETTINGS;
  for (const name of [...KEY_VARIABLES.slice(1), userKey.env, wsUrl.env, httpsProxy.env, ...httpsProxy.aliases, httpProxy.env, ...httpProxy.aliases]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith(prefixOf(agentKeys.env))) delete env[name];
  return { env, chatUrl: sandbox.chatUrl };
}

function listenProblem(error: unknown, where: { host: string; port: number }): string {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return `port ${where.port} on ${where.host} is already in use: pick another with --port (0 picks a free one).`;
  if (code === "EACCES") return `no permission to listen on port ${where.port}: use a port above 1023.`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return `cannot listen on --host ${where.host}: it is not an address of this machine.`;
  return `cannot start the HTTP server: ${error instanceof Error ? error.message : String(error)}`;
}

/** The port flag's value, checked by the table. */
const portOf = (given: CommandLine["given"]): number | undefined => (given.port === undefined ? undefined : Number(given.port));

async function main(argv: string[]): Promise<void> {
  const line = parseCommandLine(argv);
  if ("problems" in line) {
    process.stderr.write(`band-mcp-server: ${line.problems.join("; ")}\n\n${helpText(line.command)}`);
    process.exit(2);
  }
  const { command, use, given } = line;
  // watch never serves: it follows a server that does, wherever its name stands among the flags.
  if (command === "watch") process.exit(await (await import("./watch/command.js")).runWatch(argv.filter((_, index) => index !== argv.indexOf("watch"))));
  if (given.help || command === "help") {
    process.stdout.write(helpText(command === "help" && !given.help ? ((line.operand as Command | undefined) ?? "serve") : command));
    return;
  }
  if (given.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (command === "doctor") process.exit(await (await import("./doctor.js")).runDoctor(process.env, configFlags(given), (text) => process.stdout.write(text)));
  if (command === "sandbox") return runSandbox({ port: portOf(given) });
  if (command === "setup") {
    process.stdout.write(setupText({ self: selfCommand(), nodePath: process.execPath, sandbox: given.sandbox === true, ...(line.operand ? { host: line.operand as HostName } : {}) }));
    return;
  }
  const http = use === "http" ? { host: given.host ?? SETTINGS.host.default, port: portOf(given) ?? SETTINGS.port.default } : undefined;
  const sandbox = use === "sandboxed" ? await embedSandbox({ port: portOf(given) }) : undefined;
  let config: Config;
  try {
    config = loadConfig(sandbox?.env ?? process.env, { ...configFlags(given), ...(sandbox ? { sandboxChatUrl: sandbox.chatUrl } : {}) });
    // stdio serves one agent; --http all of them.
    if (!http) config = forAgent(config, given.agent);
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
  if (http && config.channel) {
    process.stderr.write("band-mcp-server: BAND_CHANNEL=true pushes into one Claude Code session over stdio; unset it to serve --http.\n");
    process.exit(2);
  }
  await enableTelemetry(VERSION, { traces: config.otel.enabled, ...(config.otelMetrics.enabled ? { metrics: { intervalMs: config.otelMetrics.intervalMs } } : {}) });
  if (http) await serveHttp(config, log, http);
  else await serveStdio(config, log, { sandbox: sandbox !== undefined });
}

await main(process.argv.slice(2));
