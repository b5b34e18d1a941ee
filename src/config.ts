import { DEFAULT_AGENT, loadKeys, Secret, secretTexts, type AgentConfig, type KeyKind } from "./settings/keys.js";
import { firstSet, loadSettings, nonEmpty, type ConfigFlags, type Env } from "./settings/read.js";
import { httpUrl, KEY_VARIABLE, prefixOf, SETTINGS, TOOLSETS, type LogLevel, type Toolset } from "./settings/table.js";
import { redactor, urlPasswords } from "./redact.js";

/** The only module that reads process.env: everything else receives a Config, loaded by the settings table. */

export { DEFAULT_AGENT, keyKind, Secret, type AgentConfig, type KeyKind } from "./settings/keys.js";
export type { ConfigFlags } from "./settings/read.js";
export { DEFAULT_TOOLSETS, LOG_LEVELS, TOOLSETS, type LogLevel, type Toolset } from "./settings/table.js";

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
  /** OpenTelemetry metrics over OTLP: on when an OTLP endpoint is set, exported every `intervalMs`. */
  otelMetrics: { enabled: false } | { enabled: true; endpoint: string; intervalMs: number };
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

export const DEFAULT_DELIVERY: DeliverySettings = {
  resyncSeconds: SETTINGS.resyncSeconds.default,
  standbySeconds: SETTINGS.standbySeconds.default,
  claimTimeoutSeconds: SETTINGS.claimTimeoutSeconds.default,
  loopLimit: SETTINGS.loopLimit.default,
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** `https://app.band.ai` → `wss://app.band.ai/api/v1/socket` (phoenix.js appends `/websocket`). */
export function deriveWsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/v1/socket`;
  url.search = "";
  return url.toString();
}

export function loadConfig(env: Env = process.env, flags: ConfigFlags = {}): Config {
  const problems: string[] = [];
  const warnings: string[] = [];
  const keys = loadKeys(env, problems, warnings);
  const settings = loadSettings(env, flags, problems);
  const { baseUrl, toolsets, live, channel } = settings;
  const wsUrl = settings.wsUrl ?? deriveWsUrl(baseUrl);

  if (channel && !live) problems.push("BAND_CHANNEL (--channel) pushes messages from the live inbox, which BAND_LIVE=false (--no-live) turns off: drop one of the two.");
  if (settings.approvers.length > 0 && !channel) warnings.push("BAND_PERMISSION_APPROVERS has no effect without channel mode (--channel or BAND_CHANNEL=true).");
  const otel = otelSettings(env, problems);
  const otelMetrics = otelMetricsSettings(env, settings.otelMetricInterval, problems);

  const toolsetsChosen = flags.toolsets !== undefined || nonEmpty(env, SETTINGS.toolsets.env) !== undefined;
  const humanOnly = toolsetsChosen && toolsets.length > 0 && toolsets.every((t) => t === "human");
  if (toolsets.includes("human") && !keys.userKey && toolsetsChosen && toolsets !== TOOLSETS) {
    warnings.push("The human toolset needs BAND_USER_KEY; it stays hidden until that is set.");
  }
  if (keys.agents.length === 0 && keys.userKey && !humanOnly) {
    warnings.push(`Only BAND_USER_KEY is set: agent tools and the live inbox are off. Set ${KEY_VARIABLE} to an agent key to enable them.`);
  }

  // A value echoed in a problem may hold a secret: a key pasted into the wrong variable, a URL's password.
  if (problems.length > 0) throw new ConfigError(problems.map(redactor(secretTexts(keys))));

  const defaultAgent = keys.agents.find((a) => a.label === DEFAULT_AGENT);
  return {
    agents: keys.agents,
    ...(keys.agentVariable ? { agentKey: keys.agents[0]!.key, agentKeyKind: defaultAgent?.kind } : {}),
    agentKeyVariable: keys.agentVariable ?? KEY_VARIABLE,
    ...(keys.userKey ? { userKey: new Secret(keys.userKey) } : {}),
    baseUrl,
    wsUrl,
    toolsets,
    readOnly: settings.readOnly,
    live,
    inboxCapacity: settings.inboxCapacity,
    inboxMaxBytes: settings.inboxMaxBytes,
    logLevel: settings.logLevel,
    delivery: {
      resyncSeconds: settings.resyncSeconds,
      standbySeconds: settings.standbySeconds,
      claimTimeoutSeconds: settings.claimTimeoutSeconds,
      loopLimit: settings.loopLimit,
    },
    http: {
      ...(keys.httpToken ? { token: new Secret(keys.httpToken) } : {}),
      agentTokens: keys.agentTokens,
      ...(keys.jwtSecret ? { jwtSecret: new Secret(keys.jwtSecret) } : {}),
    },
    proxy: { httpsProxy: settings.httpsProxy, httpProxy: settings.httpProxy, noProxy: settings.noProxy },
    channel,
    permission: { approvers: settings.approvers, ...(settings.permissionChatId !== undefined ? { chatId: settings.permissionChatId } : {}) },
    ...(flags.sandboxChatUrl ? { sandboxChatUrl: flags.sandboxChatUrl } : {}),
    otel,
    otelMetrics,
    warnings,
  };
}

/**
 * Traces go out when an OTLP endpoint is set (the traces' own, or all signals'), unless the standard switches
 * turn them off. The endpoint is checked here so a typo fails at start, not silently at the first export.
 */
function otelSettings(env: Env, problems: string[]): Config["otel"] {
  const { otelEndpoint, otelExporter } = SETTINGS;
  // The traces' own endpoint wins over the one for all signals.
  const endpoint = otelEndpointOf(env, [...otelEndpoint.aliases, otelEndpoint.env], otelExporter.env, "traces", problems);
  return endpoint ? { enabled: true, endpoint } : { enabled: false };
}

/** Metrics likewise, from their own endpoint or the one for all signals, with their own switch. */
function otelMetricsSettings(env: Env, intervalMs: number, problems: string[]): Config["otelMetrics"] {
  const { otelEndpoint, otelMetricsEndpoint, otelMetricsExporter } = SETTINGS;
  const endpoint = otelEndpointOf(env, [otelMetricsEndpoint.env, otelEndpoint.env], otelMetricsExporter.env, "metrics", problems);
  return endpoint ? { enabled: true, endpoint, intervalMs } : { enabled: false };
}

/** The first endpoint set among `names`, unless OTEL_SDK_DISABLED or the signal's exporter switch turns it off. */
function otelEndpointOf(env: Env, names: readonly string[], exporterVariable: string, signal: string, problems: string[]): string | undefined {
  const found = firstSet(env, names);
  const disabled = nonEmpty(env, SETTINGS.otelDisabled.env)?.toLowerCase() === "true" || nonEmpty(env, exporterVariable)?.toLowerCase() === "none";
  if (!found || disabled) return undefined;
  if (!httpUrl.safeParse(found.value).success) {
    const what = found.name === SETTINGS.otelEndpoint.env ? "traces and metrics" : signal;
    const problem = `${found.name} must be the collector's http:// or https:// URL (e.g. http://localhost:4318), or unset to turn ${what} off.`;
    // The shared endpoint is read for both signals: one problem, said once.
    if (!problems.includes(problem)) problems.push(problem);
    return undefined;
  }
  return found.value;
}

/** Every secret the config holds, URL passwords included, for redaction of everything that leaves the process. */
export function secretsOf(config: Config): string[] {
  const keys = [config.agentKey, config.userKey, config.http.token, config.http.jwtSecret, ...config.agents.map((a) => a.key), ...config.http.agentTokens.values()]
    .filter((s): s is Secret => s !== undefined)
    .map((s) => s.reveal());
  const urls = [config.baseUrl, config.wsUrl, config.proxy.httpsProxy, config.proxy.httpProxy, config.otel.endpoint, config.otelMetrics.enabled ? config.otelMetrics.endpoint : undefined];
  return [...keys, ...urls.flatMap(urlPasswords)];
}

/**
 * The config for serving one agent (stdio's `--agent <label>`): `default` when no label is given, or the only
 * agent there is. A label that is not configured is a ConfigError listing the ones that are.
 */
export function forAgent(config: Config, label?: string): Config {
  if (config.agents.length === 0) {
    if (label === undefined) return config;
    throw new ConfigError([`--agent ${label}: no agent key is set. Set ${prefixOf(SETTINGS.agentKeys.env)}${label.toUpperCase().replaceAll("-", "_")} (or ${KEY_VARIABLE} for "default").`]);
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
