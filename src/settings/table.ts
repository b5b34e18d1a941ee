import { z } from "zod";

/**
 * Every setting the program reads, once: its variable (and aliases), its kebab-case flag, how a value is
 * checked, whether it is a secret, its default, its help line and where it is used. The flags each command
 * accepts, each command's help, the "did you mean" and the loaded config are all made from this table.
 */

export const TOOLSETS = ["inbox", "chats", "messages", "participants", "processing", "contacts", "memories", "tasks", "human"] as const;
export type Toolset = (typeof TOOLSETS)[number];
export const DEFAULT_TOOLSETS: readonly Toolset[] = ["inbox", "chats", "messages", "participants"];
export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The server's three ways to run (stdio, `--http`, `--sandbox`) and the other commands: where a setting is used. */
export type Command = "serve" | "doctor" | "sandbox" | "setup" | "watch" | "help";
export type Use = "stdio" | "http" | "sandboxed" | "doctor" | "sandbox" | "setup" | "watch" | "help";

export interface Setting {
  /** The variable, or a pattern such as `BAND_API_KEY_<LABEL>`; absent for a flag of the command line only. */
  readonly env?: string;
  /** Also accepted, in this order after `env`. */
  readonly aliases?: readonly string[];
  /** Kebab-case flag; never for a secret. */
  readonly flag?: string;
  readonly short?: string;
  /** What the flag takes (`<url>`); absent for a switch. */
  readonly value?: string;
  /** The value a switch sets (`--no-live` sets false). */
  readonly sets?: boolean;
  /** Checks and converts a value; settings without one have a loader of their own (keys, telemetry, sandbox). */
  readonly schema?: z.ZodType;
  /** The schema's message is a whole sentence after the name: the value is not echoed. */
  readonly quiet?: boolean;
  readonly secret?: boolean;
  readonly default?: unknown;
  /** The default as help shows it, when not the value itself. */
  readonly shown?: string;
  readonly help: string;
  /** A help line for one command, when it reads differently there. */
  readonly helpIn?: Partial<Record<Command, string>>;
  readonly uses: readonly Use[];
  /** Why a way to run refuses the flag, when "<command> does not take --flag" would not say enough. */
  readonly refusals?: Partial<Record<Use, string>>;
}

const booleanText = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).transform((u) => u.replace(/\/+$/, ""));
const wsUrl = z
  .url({ protocol: /^wss?$/, error: "must be a ws:// or wss:// URL" })
  .transform((u) => u.replace(/\/+$/, "").replace(/\/websocket$/, ""));

const whole = (min: number, max: number, unit: string) =>
  z.coerce.number({ error: `must be a whole number of ${unit}` }).int(`must be a whole number of ${unit}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const toolsets = z.string().transform((text, ctx): readonly Toolset[] => {
  const names = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes("all")) return TOOLSETS;
  const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (unknown.length === 0 && names.length > 0) return [...new Set(names)] as Toolset[];
  ctx.addIssue({ code: "custom", message: `has unknown toolset(s) ${unknown.join(", ") || "(empty)"}. Use a comma list of ${TOOLSETS.join(", ")}, or "all".` });
  return z.NEVER;
});

const MAX_APPROVERS = 50;
/** Handles ("@" optional) or ids, lowercase, each once. */
const approvers = z.string().transform((text, ctx): readonly string[] => {
  const list = [...new Set(text.split(",").map((a) => a.trim().replace(/^@/, "").toLowerCase()).filter(Boolean))];
  const bad = list.filter((a) => a.length > 200 || /[\s\p{Cc}]/u.test(a));
  if (bad.length > 0) {
    const entries = `${bad.length} entr${bad.length === 1 ? "y" : "ies"}`;
    ctx.addIssue({ code: "custom", message: `has ${entries} that are not a Band handle or id (spaces, control characters or over 200 characters). Use a comma list such as "alice,bob/helper".` });
  }
  if (list.length > MAX_APPROVERS) ctx.addIssue({ code: "custom", message: `lists ${list.length} people; at most ${MAX_APPROVERS} can be mentioned in one request.` });
  return list;
});

export const SERVE: readonly Use[] = ["stdio", "http", "sandboxed"];
const SERVE_AND_DOCTOR: readonly Use[] = [...SERVE, "doctor"];
const TO_BAND: readonly Use[] = ["stdio", "http", "doctor"];
const NOT_WITH_SANDBOX = (flag: string) => `--${flag} does not go with the sandbox, which is the Band to connect to`;

export const SETTINGS = {
  http: {
    flag: "http",
    help: "serve Streamable HTTP instead of stdio (many sessions share each agent's Band connection)",
    uses: ["http"],
    refusals: { sandboxed: "--sandbox does not take --http (serve --http against `band-mcp-server sandbox` instead)", sandbox: "sandbox does not take --http (serve --http against `band-mcp-server sandbox` instead)" },
  },
  agent: {
    flag: "agent",
    value: "<label>",
    help: `stdio: which agent to serve (BAND_API_KEY_<LABEL>; default "default", or the only one)`,
    helpIn: { watch: `which agent (BAND_API_KEY_<LABEL>; default "default", or the only one)` },
    uses: ["stdio", "watch"],
    refusals: {
      http: "--agent is for stdio: --http serves every configured agent",
      doctor: "--agent is for stdio: doctor checks every configured agent",
      sandboxed: "--agent does not go with --sandbox, which serves its demo agent",
    },
  },
  host: { flag: "host", value: "<host>", default: "127.0.0.1", help: "HTTP bind address (default 127.0.0.1; anything else needs BAND_MCP_HTTP_TOKEN)", uses: ["http"], refusals: { stdio: "--host needs --http", sandboxed: "--host needs --http" } },
  port: {
    flag: "port",
    value: "<port>",
    schema: z.string().regex(/^\d{1,5}$/, "must be a port number from 0 to 65535").transform(Number).pipe(z.number().max(65_535, "must be a port number from 0 to 65535")),
    default: 8787,
    help: "HTTP port (default 8787; 0 picks a free one, printed on stderr); with sandbox or --sandbox, the sandbox's port (default: the first free one from 8790; a --port that is taken is an error)",
    helpIn: { sandbox: "the sandbox's port (default: the first free one from 8790; 0 picks any free one; a --port that is taken is an error)" },
    uses: ["http", "sandboxed", "sandbox"],
    refusals: { stdio: "--port needs --http" },
  },
  sandbox: {
    flag: "sandbox",
    help: "serve stdio on an embedded sandbox: a local Band with a demo agent and a web chat",
    helpIn: { setup: "the config of the no-account server on an embedded sandbox (--sandbox)" },
    uses: ["sandboxed", "setup"],
  },
  baseUrl: { env: "BAND_BASE_URL", flag: "base-url", value: "<url>", schema: httpUrl, default: "https://app.band.ai", help: "Band REST base", uses: TO_BAND, refusals: { sandboxed: NOT_WITH_SANDBOX("base-url"), sandbox: NOT_WITH_SANDBOX("base-url") } },
  wsUrl: { env: "BAND_WS_URL", flag: "ws-url", value: "<url>", schema: wsUrl, shown: "derived from the base URL", help: "Band socket base", uses: TO_BAND, refusals: { sandboxed: NOT_WITH_SANDBOX("ws-url"), sandbox: NOT_WITH_SANDBOX("ws-url") } },
  toolsets: { env: "BAND_TOOLSETS", flag: "toolsets", value: "<list>", schema: toolsets, quiet: true, default: DEFAULT_TOOLSETS, shown: DEFAULT_TOOLSETS.join(","), help: `comma list or "all"`, uses: SERVE_AND_DOCTOR },
  readOnly: { env: "BAND_READ_ONLY", flag: "read-only", sets: true, schema: booleanText, default: false, help: "expose only read-only tools", uses: SERVE_AND_DOCTOR },
  live: { env: "BAND_LIVE", flag: "no-live", sets: false, schema: booleanText, default: true, help: "tools only: no socket, no inbox", uses: SERVE_AND_DOCTOR },
  inboxCapacity: {
    env: "BAND_INBOX_CAPACITY",
    flag: "inbox-capacity",
    value: "<n>",
    schema: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(1_000_000, "must be at most 1000000"),
    default: 1000,
    help: "messages held in memory",
    uses: SERVE_AND_DOCTOR,
  },
  inboxMaxBytes: {
    env: "BAND_INBOX_MAX_BYTES",
    flag: "inbox-max-bytes",
    value: "<n>",
    schema: z.coerce.number({ error: "must be a whole number of bytes" }).int("must be a whole number of bytes").min(65_536, "must be at least 65536").max(4_294_967_296, "must be at most 4294967296"),
    default: 32 * 1024 * 1024,
    shown: "33554432 = 32 MB",
    help: "bytes of message text held in memory",
    uses: SERVE_AND_DOCTOR,
  },
  logLevel: {
    env: "BAND_LOG_LEVEL",
    flag: "log-level",
    value: "<level>",
    schema: z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })),
    default: "info",
    help: "error | warn | info | debug, logs go to stderr",
    uses: SERVE_AND_DOCTOR,
  },
  resyncSeconds: {
    env: "BAND_RESYNC_SECONDS",
    flag: "resync-seconds",
    value: "<n>",
    schema: whole(0, 86_400, "seconds (0 disables)"),
    default: 60,
    help: "re-check Band for missed messages after n s without a delivery; 0 disables",
    uses: SERVE_AND_DOCTOR,
  },
  standbySeconds: {
    env: "BAND_STANDBY_SECONDS",
    flag: "standby-seconds",
    value: "<n>",
    schema: whole(1, 3_600, "seconds"),
    default: 30,
    help: "while another process holds this agent's socket, try to take over at least every n s, never superseding it",
    uses: SERVE_AND_DOCTOR,
  },
  claimTimeoutSeconds: {
    env: "BAND_CLAIM_TIMEOUT_SECONDS",
    flag: "claim-timeout-seconds",
    value: "<n>",
    schema: whole(1, 604_800, "seconds"),
    default: 1800,
    help: "a message handed out and never marked is handed out again after n s; the agent's own activity in its chat restarts the clock",
    uses: SERVE_AND_DOCTOR,
  },
  loopLimit: {
    env: "BAND_LOOP_LIMIT",
    flag: "loop-limit",
    value: "<n>",
    schema: whole(0, 100_000, "messages (0 disables)"),
    default: 25,
    help: "hold a room after n agent messages in a row with no person's message between; 0 disables",
    uses: SERVE_AND_DOCTOR,
  },
  channel: {
    env: "BAND_CHANNEL",
    flag: "channel",
    sets: true,
    schema: booleanText,
    default: false,
    help: "push each inbox message into Claude Code as a channel notification; stdio only",
    uses: ["stdio", "sandboxed", "doctor"],
    refusals: { http: "--channel pushes into one Claude Code session over stdio; it does not work with --http" },
  },
  agentKey: {
    env: "BAND_API_KEY",
    aliases: ["BAND_AGENT_KEY", "THENVOI_API_KEY"],
    secret: true,
    shown: "required unless BAND_USER_KEY is set",
    help: "agent key (band_a_…, thnv_a_…, or a legacy band_…/thnv_…)",
    uses: [...TO_BAND, "watch"],
  },
  agentKeys: { env: "BAND_API_KEY_<LABEL>", secret: true, help: "one more agent, labelled <label> in lowercase with _ as -", uses: [...TO_BAND, "watch"] },
  userKey: { env: "BAND_USER_KEY", secret: true, help: "user key (band_u_…) for the human toolset", uses: TO_BAND },
  httpToken: { env: "BAND_MCP_HTTP_TOKEN", secret: true, help: "bearer token HTTP clients must send (required off loopback)", uses: ["http"] },
  agentTokens: { env: "BAND_MCP_HTTP_TOKEN_<LABEL>", secret: true, help: "bearer token for one agent only", uses: ["http"] },
  jwtSecret: { env: "BAND_MCP_HTTP_JWT_SECRET", secret: true, help: "HS256 secret (at least 32 bytes) for JWT bearer tokens", uses: ["http"] },
  approvers: { env: "BAND_PERMISSION_APPROVERS", schema: approvers, quiet: true, default: [], help: "channel mode: Band handles or ids (comma list) of who may approve Claude's tool use", uses: ["stdio", "sandboxed", "doctor"] },
  permissionChatId: {
    env: "BAND_PERMISSION_CHAT_ID",
    schema: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "must be a Band chat id (from band_list_chats)."),
    quiet: true,
    shown: "the chat of the latest pushed message",
    help: "channel mode: the chat where permission requests are posted",
    uses: ["stdio", "sandboxed", "doctor"],
  },
  httpsProxy: { env: "HTTPS_PROXY", aliases: ["https_proxy"], schema: z.string(), help: "proxy for https:// and wss://", uses: TO_BAND },
  httpProxy: { env: "HTTP_PROXY", aliases: ["http_proxy"], schema: z.string(), help: "proxy for http:// and ws://", uses: TO_BAND },
  noProxy: { env: "NO_PROXY", aliases: ["no_proxy"], schema: z.string(), help: "hosts, .domain suffixes or * that bypass the proxy", uses: TO_BAND },
  sandboxDir: { env: "BAND_SANDBOX_DIR", shown: "a per-user data folder", help: "where the sandbox keeps its world between runs", uses: ["sandbox", "sandboxed"] },
  otelEndpoint: {
    env: "OTEL_EXPORTER_OTLP_ENDPOINT",
    aliases: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"],
    help: "OTLP/HTTP collector: turns on OpenTelemetry traces and metrics (off when unset)",
    uses: SERVE,
  },
  otelMetricsEndpoint: { env: "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", help: "the metrics' own OTLP/HTTP endpoint (turns metrics on alone)", uses: SERVE },
  otelDisabled: { env: "OTEL_SDK_DISABLED", help: "true turns traces and metrics off", uses: SERVE },
  otelExporter: { env: "OTEL_TRACES_EXPORTER", help: "none turns traces off", uses: SERVE },
  otelMetricsExporter: { env: "OTEL_METRICS_EXPORTER", help: "none turns metrics off", uses: SERVE },
  otelMetricInterval: {
    env: "OTEL_METRIC_EXPORT_INTERVAL",
    schema: whole(100, 3_600_000, "milliseconds"),
    default: 60_000,
    help: "milliseconds between two exports of the metrics",
    uses: SERVE,
  },
  help: { flag: "help", short: "h", help: "show this help", uses: [...SERVE, "doctor", "sandbox", "setup", "watch", "help"] },
  version: { flag: "version", short: "v", help: "print the version", uses: SERVE },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** The variable named when no agent key is set, and the other names an agent key is read from. */
export const KEY_VARIABLE = SETTINGS.agentKey.env;
export const KEY_VARIABLES: readonly string[] = [KEY_VARIABLE, ...SETTINGS.agentKey.aliases];
/** `BAND_API_KEY_<LABEL>` and `BAND_MCP_HTTP_TOKEN_<LABEL>`: the prefix before the label. */
export const prefixOf = (pattern: string): string => pattern.slice(0, pattern.indexOf("<"));
