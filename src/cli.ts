#!/usr/bin/env node
import { parseArgs } from "node:util";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createApp, type App } from "./app.js";
import { ConfigError, loadConfig, secretsOf, type ConfigFlags } from "./config.js";
import { createLogger } from "./log.js";
import { createMcpServer } from "./mcp/server.js";
import { VERSION } from "./version.js";

const USAGE = `Usage: band-mcp-server [options]            serve MCP over stdio (default)

Options:
  --base-url <url>        Band REST base (BAND_BASE_URL, default https://app.band.ai)
  --ws-url <url>          Band socket base (BAND_WS_URL, derived from the base URL)
  --toolsets <list>       comma list or "all" (BAND_TOOLSETS, default inbox,chats,messages,participants)
  --read-only             expose only read-only tools (BAND_READ_ONLY)
  --no-live               tools only: no socket, no inbox (BAND_LIVE=false)
  --inbox-capacity <n>    messages held in memory (BAND_INBOX_CAPACITY, default 1000)
  --log-level <level>     error | warn | info | debug, logs go to stderr (BAND_LOG_LEVEL)
  -h, --help              show this help
  -v, --version           print the version

Secrets come from the environment only: BAND_API_KEY (agent key), BAND_USER_KEY (user key).
`;

const OPTIONS = {
  "base-url": { type: "string" },
  "ws-url": { type: "string" },
  toolsets: { type: "string" },
  "read-only": { type: "boolean" },
  "no-live": { type: "boolean" },
  "inbox-capacity": { type: "string" },
  "log-level": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

interface Invocation {
  command: "serve" | "help" | "version";
  flags: ConfigFlags;
}

/** Parses argv, collecting every problem rather than stopping at the first. */
export function parseInvocation(argv: string[]): Invocation | { problems: string[] } {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = (OPTIONS as Record<string, { type: string }>)[token.name];
    if (!spec) problems.push(`unknown option ${token.rawName}`);
    else if (spec.type === "string" && (token.value === undefined || token.value === "")) problems.push(`option ${token.rawName} needs a value`);
    else if (spec.type === "boolean" && token.value !== undefined) problems.push(`option ${token.rawName} takes no value`);
  }
  for (const positional of positionals) problems.push(`unknown command "${positional}"`);
  if (problems.length > 0) return { problems };
  if (values.help) return { command: "help", flags: {} };
  if (values.version) return { command: "version", flags: {} };
  const str = (name: keyof typeof OPTIONS) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  return {
    command: "serve",
    flags: {
      baseUrl: str("base-url"),
      wsUrl: str("ws-url"),
      toolsets: str("toolsets"),
      inboxCapacity: str("inbox-capacity"),
      logLevel: str("log-level"),
      ...(values["read-only"] ? { readOnly: true } : {}),
      ...(values["no-live"] ? { live: false } : {}),
    },
  };
}

async function serveStdio(app: App): Promise<void> {
  const server = createMcpServer(app);
  const transport = new StdioServerTransport();
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`shutting down (${reason})`);
    // Never outlive the host: whatever hangs, the process is gone within 2 s.
    setTimeout(() => process.exit(0), 1_500).unref();
    await server.close().catch(() => undefined);
    await app.close();
    process.exit(0);
  };
  process.stdin.on("end", () => void shutdown("stdin closed"));
  process.stdin.on("close", () => void shutdown("stdin closed"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  await server.connect(transport);
  app.log.info(`band-mcp-server ${VERSION} ready on stdio`);
}

async function main(argv: string[]): Promise<void> {
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
  let config;
  try {
    config = loadConfig(process.env, invocation.flags);
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
  const app = createApp(config, log);
  await serveStdio(app);
}

await main(process.argv.slice(2));
