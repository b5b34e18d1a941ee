import { z } from "zod";
import { redactor, urlPasswords } from "./redact.js";

/** The only module that reads process.env: everything else receives a Config. */

export const TOOLSETS = ["inbox", "chats", "messages", "participants", "processing", "contacts", "memories", "tasks", "human"] as const;
export type Toolset = (typeof TOOLSETS)[number];
export const DEFAULT_TOOLSETS: readonly Toolset[] = ["inbox", "chats", "messages", "participants"];
export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type KeyKind = "agent" | "user" | "legacy" | "unknown";

/** Band's key prefixes (PROTOCOL.md §1); a client-side heuristic, so an unknown prefix is only a warning. */
export function keyKind(key: string): KeyKind {
  if (/^(band|thnv)_a_/.test(key)) return "agent";
  if (/^(band|thnv)_u_/.test(key)) return "user";
  if (/^(band|thnv)_/.test(key)) return "legacy";
  return "unknown";
}

/** A secret that cannot leak by accident: JSON, String() and util.inspect all print a redaction. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[redacted]";
  }
  toJSON(): string {
    return "[redacted]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[redacted]";
  }
}

/** One Band agent of the hub: `BAND_API_KEY` is `default`, `BAND_API_KEY_<LABEL>` is `<label>`. */
export interface AgentConfig {
  label: string;
  key: Secret;
  kind: KeyKind;
  /** The variable the key came from, named in errors. */
  variable: string;
}

export interface Config {
  /** Every configured agent (`default` first, then by label); stdio serves one of them (see forAgent). */
  agents: readonly AgentConfig[];
  /** The agent this config serves: `default` when there is one (forAgent picks another). */
  agentKey?: Secret;
  agentKeyKind?: KeyKind;
  /** Which variable the agent key came from (BAND_API_KEY or an alias), or BAND_API_KEY when none is set: the one to name in errors. */
  agentKeyVariable: string;
  userKey?: Secret;
  baseUrl: string;
  wsUrl: string;
  toolsets: readonly Toolset[];
  readOnly: boolean;
  live: boolean;
  inboxCapacity: number;
  /** The inbox's bound in bytes (approximate: message text in UTF-8 plus a fixed share per message). */
  inboxMaxBytes: number;
  logLevel: LogLevel;
  /** Delivery timers (docs/delivery.md guarantees 5, 11, 12, 13). */
  delivery: DeliverySettings;
  http: {
    /** Bearer token for every agent. */
    token?: Secret;
    /** Bearer tokens for one agent each, by label (BAND_MCP_HTTP_TOKEN_<LABEL>). */
    agentTokens: ReadonlyMap<string, Secret>;
    /** HS256 secret for JWT bearer tokens (BAND_MCP_HTTP_JWT_SECRET). */
    jwtSecret?: Secret;
  };
  proxy: { httpsProxy?: string; httpProxy?: string; noProxy?: string };
  /** Channel mode: inbox messages pushed into a Claude Code session as notifications/claude/channel. */
  channel: boolean;
  /** The channel permission relay: who may approve (lowercase handles without "@", or ids), and where to ask. */
  permission: { approvers: readonly string[]; chatId?: string };
  /** `--sandbox`: the embedded sandbox's web chat, where the person the agent works with writes. */
  sandboxChatUrl?: string;
  /** OpenTelemetry traces over OTLP: on when an OTLP endpoint is set (the SDK reads the other OTEL_* itself). */
  otel: { enabled: boolean; endpoint?: string };
  /** Problems worth a warning that do not stop the server. */
  warnings: string[];
}

export interface DeliverySettings {
  /** Idle resync after this many seconds without a delivery; 0 disables (BAND_RESYNC_SECONDS). */
  resyncSeconds: number;
  /** Longest wait between attempts to take the socket from another process (BAND_STANDBY_SECONDS). */
  standbySeconds: number;
  /** An unsettled hand-out goes back to the queue after this long (BAND_CLAIM_TIMEOUT_SECONDS). */
  claimTimeoutSeconds: number;
  /** Agent-only messages in a row, per room, before the room is held; 0 disables (BAND_LOOP_LIMIT). */
  loopLimit: number;
}

export const DEFAULT_DELIVERY: DeliverySettings = { resyncSeconds: 60, standbySeconds: 30, claimTimeoutSeconds: 1800, loopLimit: 25 };

/** Settings that can also come from flags (flags win over the environment). */
export interface ConfigFlags {
  baseUrl?: string;
  wsUrl?: string;
  toolsets?: string;
  readOnly?: boolean;
  live?: boolean;
  inboxCapacity?: string;
  inboxMaxBytes?: string;
  logLevel?: string;
  resyncSeconds?: string;
  standbySeconds?: string;
  claimTimeoutSeconds?: string;
  loopLimit?: string;
  channel?: boolean;
  /** Set by `--sandbox` itself (no variable): the web chat of the embedded sandbox. */
  sandboxChatUrl?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const AGENT_KEY_VARS = ["BAND_API_KEY", "BAND_AGENT_KEY", "THENVOI_API_KEY"] as const;
export const DEFAULT_AGENT = "default";
const LABELLED_KEY = "BAND_API_KEY_";
const LABELLED_TOKEN = "BAND_MCP_HTTP_TOKEN_";
/** HS256 keys shorter than the hash are guessable offline from any token. */
const MIN_JWT_SECRET = 32;

/** `BAND_API_KEY_SALES_BOT` → `sales-bot`. */
function labelOf(suffix: string): string {
  return suffix.toLowerCase().replaceAll("_", "-");
}

const booleanText = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
  .transform((v) => v === "true" || v === "1" || v === "yes");

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .transform((u) => u.replace(/\/+$/, ""));
const wsUrl = z.url({ protocol: /^wss?$/, error: "must be a ws:// or wss:// URL" }).transform((u) => u.replace(/\/+$/, ""));

/** `https://app.band.ai` → `wss://app.band.ai/api/v1/socket` (phoenix.js appends `/websocket`). */
export function deriveWsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/v1/socket`;
  url.search = "";
  return url.toString();
}

/** A key copied from docs or examples rather than from Band: `band_a_your_agent_key`, `band_a_...`, `band_a_<key>`, `band_a_xxxx`. */
function isPlaceholder(value: string): boolean {
  const rest = value.replace(/^(band|thnv)_([au]_)?/i, "");
  return /\.\.\.|…|^<.*>$|^your[_-]|^(x+|\*+|key|api[_-]?key|agent[_-]?key|user[_-]?key|changeme|replace[_-]?me)$/i.test(rest);
}

function keyProblem(variable: string, value: string): string | undefined {
  // Control characters too: such a key passes here, then fails every request (undici refuses the header) forever.
  if (value.length < 8 || /[\s\u0000-\u001f\u007f-\u009f]/.test(value)) {
    return `${variable} is malformed (it must be a single Band API key without spaces or control characters). Copy the key again from Band's agent settings.`;
  }
  if (isPlaceholder(value)) {
    return `${variable} holds a placeholder from the docs, not a key. Set it to the key from the agent's page on Band (band_a_…), or run with --sandbox to try without an account.`;
  }
  return undefined;
}

type Env = Record<string, string | undefined>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export function loadConfig(env: Env = process.env, flags: ConfigFlags = {}): Config {
  const problems: string[] = [];
  const warnings: string[] = [];

  const agentVar = AGENT_KEY_VARS.find((name) => nonEmpty(env, name) !== undefined);
  const agentKeyText = agentVar ? nonEmpty(env, agentVar) : undefined;
  const userKeyText = nonEmpty(env, "BAND_USER_KEY");

  const agentKeyProblems = (variable: string, text: string): KeyKind => {
    const problem = keyProblem(variable, text);
    const kind = keyKind(text);
    if (problem) problems.push(problem);
    else if (kind === "user") {
      problems.push(`${variable} holds a user key (band_u_…). Put it in BAND_USER_KEY instead, and set ${variable} to an agent key (band_a_…).`);
    } else if (kind === "unknown") {
      warnings.push(`${variable} does not start with a known Band prefix (band_a_, thnv_a_, band_, thnv_); using it as an agent key.`);
    }
    return kind;
  };
  const agents: AgentConfig[] = [];
  if (agentVar && agentKeyText) agents.push({ label: DEFAULT_AGENT, key: new Secret(agentKeyText), kind: agentKeyProblems(agentVar, agentKeyText), variable: agentVar });
  const labelled = (prefix: string) =>
    Object.keys(env)
      .filter((name) => name.startsWith(prefix) && nonEmpty(env, name) !== undefined)
      .sort()
      .flatMap((variable) => {
        const suffix = variable.slice(prefix.length);
        if (/^[A-Z0-9_]+$/.test(suffix)) return [{ variable, label: labelOf(suffix), text: nonEmpty(env, variable)! }];
        problems.push(`${variable}: the part after ${prefix} must be made of A-Z, 0-9 and _ (the label is its lowercase, with _ as -).`);
        return [];
      });
  for (const { variable, label, text } of labelled(LABELLED_KEY)) {
    if (label === DEFAULT_AGENT && agents.some((a) => a.label === DEFAULT_AGENT)) {
      problems.push(`${variable} and ${agentVar} both name the agent "default": keep one.`);
      continue;
    }
    agents.push({ label, key: new Secret(text), kind: agentKeyProblems(variable, text), variable });
  }
  const agentTokens = new Map<string, Secret>();
  for (const { variable, label, text } of labelled(LABELLED_TOKEN)) {
    if (!agents.some((a) => a.label === label)) {
      problems.push(`${variable} is a token for an agent "${label}" that is not configured: set ${LABELLED_KEY}${variable.slice(LABELLED_TOKEN.length)} (or remove the token).`);
    } else agentTokens.set(label, new Secret(text));
  }
  const jwtSecretText = nonEmpty(env, "BAND_MCP_HTTP_JWT_SECRET");
  if (jwtSecretText !== undefined && Buffer.byteLength(jwtSecretText) < MIN_JWT_SECRET) {
    problems.push(`BAND_MCP_HTTP_JWT_SECRET is too short for HS256: use at least ${MIN_JWT_SECRET} random bytes (e.g. the output of \`openssl rand -hex 32\`).`);
  }
  const agentKeyKind = agents.find((a) => a.label === DEFAULT_AGENT)?.kind;

  if (userKeyText) {
    const problem = keyProblem("BAND_USER_KEY", userKeyText);
    if (problem) problems.push(problem);
    else if (keyKind(userKeyText) === "agent") {
      problems.push("BAND_USER_KEY holds an agent key (band_a_…). Put it in BAND_API_KEY, and set BAND_USER_KEY to a user key (band_u_…) or unset it.");
    }
  }
  if (agents.length === 0 && !userKeyText) {
    problems.push("BAND_API_KEY is not set. Set it to your Band agent key (band_a_…), from the agent's page on app.band.ai; or set BAND_USER_KEY for the human toolset only.");
  }

  const parse = <T>(name: string, schema: z.ZodType<T>, raw: string | undefined, fallback: T): T => {
    if (raw === undefined) return fallback;
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    problems.push(`${name}=${JSON.stringify(raw)} ${result.error.issues[0]?.message ?? "is invalid"}.`);
    return fallback;
  };

  const baseUrl = parse("BAND_BASE_URL", httpUrl, flags.baseUrl ?? nonEmpty(env, "BAND_BASE_URL"), "https://app.band.ai");
  const derivedWs = (() => {
    try {
      return deriveWsUrl(baseUrl);
    } catch {
      return "wss://app.band.ai/api/v1/socket";
    }
  })();
  const ws = parse("BAND_WS_URL", wsUrl, flags.wsUrl ?? nonEmpty(env, "BAND_WS_URL"), derivedWs).replace(/\/websocket$/, "");

  const toolsetsText = flags.toolsets ?? nonEmpty(env, "BAND_TOOLSETS");
  let toolsets: readonly Toolset[] = DEFAULT_TOOLSETS;
  if (toolsetsText !== undefined) {
    const names = toolsetsText.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (names.includes("all")) toolsets = TOOLSETS;
    else {
      const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
      if (unknown.length > 0 || names.length === 0) {
        problems.push(`BAND_TOOLSETS has unknown toolset(s) ${unknown.join(", ") || "(empty)"}. Use a comma list of ${TOOLSETS.join(", ")}, or "all".`);
      } else toolsets = [...new Set(names)] as Toolset[];
    }
  }

  const readOnly = flags.readOnly ?? parse("BAND_READ_ONLY", booleanText, nonEmpty(env, "BAND_READ_ONLY"), false);
  const live = flags.live ?? parse("BAND_LIVE", booleanText, nonEmpty(env, "BAND_LIVE"), true);
  const inboxCapacity = parse(
    "BAND_INBOX_CAPACITY",
    z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(1_000_000, "must be at most 1000000"),
    flags.inboxCapacity ?? nonEmpty(env, "BAND_INBOX_CAPACITY"),
    1000,
  );
  const inboxMaxBytes = parse(
    "BAND_INBOX_MAX_BYTES",
    z.coerce
      .number({ error: "must be a whole number of bytes" })
      .int("must be a whole number of bytes")
      .min(65_536, "must be at least 65536")
      .max(4_294_967_296, "must be at most 4294967296"),
    flags.inboxMaxBytes ?? nonEmpty(env, "BAND_INBOX_MAX_BYTES"),
    32 * 1024 * 1024,
  );
  const logLevel = parse(
    "BAND_LOG_LEVEL",
    z.string().trim().toLowerCase().pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })),
    flags.logLevel ?? nonEmpty(env, "BAND_LOG_LEVEL"),
    "info",
  );

  const whole = (min: number, max: number, unit: string) =>
    z.coerce.number({ error: `must be a whole number of ${unit}` }).int(`must be a whole number of ${unit}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
  const delivery: DeliverySettings = {
    resyncSeconds: parse("BAND_RESYNC_SECONDS", whole(0, 86_400, "seconds (0 disables)"), flags.resyncSeconds ?? nonEmpty(env, "BAND_RESYNC_SECONDS"), DEFAULT_DELIVERY.resyncSeconds),
    standbySeconds: parse("BAND_STANDBY_SECONDS", whole(1, 3_600, "seconds"), flags.standbySeconds ?? nonEmpty(env, "BAND_STANDBY_SECONDS"), DEFAULT_DELIVERY.standbySeconds),
    claimTimeoutSeconds: parse(
      "BAND_CLAIM_TIMEOUT_SECONDS",
      whole(1, 604_800, "seconds"),
      flags.claimTimeoutSeconds ?? nonEmpty(env, "BAND_CLAIM_TIMEOUT_SECONDS"),
      DEFAULT_DELIVERY.claimTimeoutSeconds,
    ),
    loopLimit: parse("BAND_LOOP_LIMIT", whole(0, 100_000, "messages (0 disables)"), flags.loopLimit ?? nonEmpty(env, "BAND_LOOP_LIMIT"), DEFAULT_DELIVERY.loopLimit),
  };

  const channel = flags.channel ?? parse("BAND_CHANNEL", booleanText, nonEmpty(env, "BAND_CHANNEL"), false);
  if (channel && !live) problems.push("BAND_CHANNEL (--channel) pushes messages from the live inbox, which BAND_LIVE=false (--no-live) turns off: drop one of the two.");
  const permission = permissionSettings(env, problems);
  if (permission.approvers.length > 0 && !channel) warnings.push("BAND_PERMISSION_APPROVERS has no effect without channel mode (--channel or BAND_CHANNEL=true).");

  const otel = otelSettings(env, problems);

  const humanOnly = toolsetsText !== undefined && toolsets.length > 0 && toolsets.every((t) => t === "human");
  if (toolsets.includes("human") && !userKeyText && toolsetsText !== undefined && toolsets !== TOOLSETS) {
    warnings.push("The human toolset needs BAND_USER_KEY; it stays hidden until that is set.");
  }
  if (agents.length === 0 && userKeyText && !humanOnly) {
    warnings.push("Only BAND_USER_KEY is set: agent tools and the live inbox are off. Set BAND_API_KEY to an agent key to enable them.");
  }

  if (problems.length > 0) {
    // A value echoed in a problem may hold a secret: a key pasted into the wrong variable, a URL's password.
    const redact = redactor(
      [...agents.map((a) => a.key.reveal()), ...[...agentTokens.values()].map((t) => t.reveal()), userKeyText, jwtSecretText, nonEmpty(env, "BAND_MCP_HTTP_TOKEN")].filter(
        (s): s is string => s !== undefined,
      ),
    );
    throw new ConfigError(problems.map(redact));
  }

  const httpToken = nonEmpty(env, "BAND_MCP_HTTP_TOKEN");
  return {
    agents,
    ...(agentKeyText ? { agentKey: agents[0]!.key, agentKeyKind } : {}),
    agentKeyVariable: agentVar ?? "BAND_API_KEY",
    ...(userKeyText ? { userKey: new Secret(userKeyText) } : {}),
    baseUrl,
    wsUrl: ws,
    toolsets,
    readOnly,
    live,
    inboxCapacity,
    inboxMaxBytes,
    logLevel,
    delivery,
    http: { ...(httpToken ? { token: new Secret(httpToken) } : {}), agentTokens, ...(jwtSecretText ? { jwtSecret: new Secret(jwtSecretText) } : {}) },
    proxy: {
      httpsProxy: nonEmpty(env, "HTTPS_PROXY") ?? nonEmpty(env, "https_proxy"),
      httpProxy: nonEmpty(env, "HTTP_PROXY") ?? nonEmpty(env, "http_proxy"),
      noProxy: nonEmpty(env, "NO_PROXY") ?? nonEmpty(env, "no_proxy"),
    },
    channel,
    permission,
    ...(flags.sandboxChatUrl ? { sandboxChatUrl: flags.sandboxChatUrl } : {}),
    otel,
    warnings,
  };
}

/**
 * Traces go out when an OTLP endpoint is set (all signals', or the traces' own), unless the standard switches
 * turn them off. The endpoint is checked here so a typo fails at start, not silently at the first export.
 */
function otelSettings(env: Env, problems: string[]): Config["otel"] {
  const name = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"].find((n) => nonEmpty(env, n) !== undefined);
  const disabled = nonEmpty(env, "OTEL_SDK_DISABLED")?.toLowerCase() === "true" || nonEmpty(env, "OTEL_TRACES_EXPORTER")?.toLowerCase() === "none";
  if (!name || disabled) return { enabled: false };
  const endpoint = nonEmpty(env, name)!;
  if (!httpUrl.safeParse(endpoint).success) {
    problems.push(`${name} must be the collector's http:// or https:// URL (e.g. http://localhost:4318), or unset to turn traces off.`);
    return { enabled: false };
  }
  return { enabled: true, endpoint };
}

const MAX_APPROVERS = 50;

/** BAND_PERMISSION_APPROVERS (handles, "@" optional, or ids) and BAND_PERMISSION_CHAT_ID. */
function permissionSettings(env: Env, problems: string[]): Config["permission"] {
  const approvers = [...new Set((nonEmpty(env, "BAND_PERMISSION_APPROVERS") ?? "").split(",").map((a) => a.trim().replace(/^@/, "").toLowerCase()).filter(Boolean))];
  const bad = approvers.filter((a) => a.length > 200 || /[\s\p{Cc}]/u.test(a));
  if (bad.length > 0) problems.push(`BAND_PERMISSION_APPROVERS has ${bad.length} entr${bad.length === 1 ? "y" : "ies"} that are not a Band handle or id (spaces, control characters or over 200 characters). Use a comma list such as "alice,bob/helper".`);
  if (approvers.length > MAX_APPROVERS) problems.push(`BAND_PERMISSION_APPROVERS lists ${approvers.length} people; at most ${MAX_APPROVERS} can be mentioned in one request.`);
  const chatId = nonEmpty(env, "BAND_PERMISSION_CHAT_ID");
  if (chatId !== undefined && !/^[A-Za-z0-9_-]{1,100}$/.test(chatId)) problems.push("BAND_PERMISSION_CHAT_ID must be a Band chat id (from band_list_chats).");
  return { approvers, ...(chatId !== undefined ? { chatId } : {}) };
}

/** Every secret the config holds, URL passwords included, for redaction of everything that leaves the process. */
export function secretsOf(config: Config): string[] {
  const keys = [config.agentKey, config.userKey, config.http.token, config.http.jwtSecret, ...config.agents.map((a) => a.key), ...config.http.agentTokens.values()]
    .filter((s): s is Secret => s !== undefined)
    .map((s) => s.reveal());
  const urls = [config.baseUrl, config.wsUrl, config.proxy.httpsProxy, config.proxy.httpProxy, config.otel.endpoint];
  return [...keys, ...urls.flatMap(urlPasswords)];
}

/**
 * The config for serving one agent (stdio's `--agent <label>`): `default` when no label is given, or the only
 * agent there is. A label that is not configured is a ConfigError listing the ones that are.
 */
export function forAgent(config: Config, label?: string): Config {
  if (config.agents.length === 0) {
    if (label === undefined) return config;
    throw new ConfigError([`--agent ${label}: no agent key is set. Set BAND_API_KEY_${label.toUpperCase().replaceAll("-", "_")} (or BAND_API_KEY for "default").`]);
  }
  const labels = config.agents.map((a) => a.label).join(", ");
  const wanted = label ?? (config.agents.length === 1 ? config.agents[0]!.label : DEFAULT_AGENT);
  const agent = config.agents.find((a) => a.label === wanted);
  if (!agent) {
    throw new ConfigError([
      label === undefined
        ? `Several agents are configured (${labels}) and none is "default": choose one with --agent <label>, or serve them all with --http.`
        : `--agent ${label} is not configured; the agents are: ${labels}.`,
    ]);
  }
  return { ...config, agentKey: agent.key, agentKeyKind: agent.kind, agentKeyVariable: agent.variable };
}
