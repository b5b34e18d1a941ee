import { BandApiError, BandClient, createDispatcher, type RetryPolicy } from "./band/http.js";
import { describeProxyUrl, proxyFor, socketProxyAgent } from "./band/proxy.js";
import { ConfigError, DEFAULT_AGENT, forAgent, loadConfig, secretsOf, type Config, type ConfigFlags, type Secret } from "./config.js";
import { KEY_VARIABLE, SETTINGS } from "./settings/table.js";
import { createLogger, type Logger } from "./log.js";
import { redactor } from "./redact.js";
import { BandSocket } from "./realtime/socket.js";
import { VERSION } from "./version.js";

/** `band-mcp-server doctor`: each check in turn, a readable report, and an exit code (0 only if all pass). */

type Outcome = "pass" | "fail" | "skip";

interface Check {
  outcome: Outcome;
  title: string;
  detail: string;
  fix?: string;
}

export interface DoctorOptions {
  /** The most any one step may take (default 10 s), so the doctor always finishes promptly. */
  stepTimeoutMs?: number;
}

/** A doctor reports what is wrong now: waiting out retries would only delay the answer. */
const NO_RETRY: RetryPolicy = { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 };
const MARK: Record<Outcome, string> = { pass: "✓", fail: "✗", skip: "–" };
const ROOMS_SHOWN = 10;

export async function runDoctor(env: Record<string, string | undefined>, flags: ConfigFlags, write: (text: string) => void, options: DoctorOptions = {}): Promise<number> {
  const timeoutMs = options.stepTimeoutMs ?? 10_000;
  const checks: Check[] = [];
  // Until the settings are read, the secrets are unknown; config errors come already masked.
  let redact = (text: string) => text;
  const report = (check: Check) => {
    checks.push(check);
    write(redact(`${MARK[check.outcome]} ${check.title.padEnd(12)} ${check.detail}\n${check.fix ? `    fix: ${check.fix}\n` : ""}`));
  };
  write(`band-mcp-server ${VERSION} doctor\n\n`);

  const config = checkSettings(env, flags, report, (loaded) => (redact = redactor(secretsOf(loaded))));
  if (config) await checkBand(config, report, (heading) => write(redact(`\n${heading}\n`)), timeoutMs);

  const failed = checks.filter((c) => c.outcome === "fail").length;
  write(failed === 0 ? `\nAll ${checks.length} checks passed.\n` : `\n${failed} of ${checks.length} checks failed: fix them in order, then run the doctor again.\n`);
  return failed === 0 ? 0 : 1;
}

function checkSettings(env: Record<string, string | undefined>, flags: ConfigFlags, report: (check: Check) => void, loaded: (config: Config) => void): Config | undefined {
  let config: Config;
  try {
    config = loadConfig(env, flags);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report({ outcome: "fail", title: "Settings", detail: `${error.problems.length} problem(s)`, fix: error.problems.join("\n    fix: ") });
    return undefined;
  }
  loaded(config);
  const key = config.agentKey ? `agent key from ${config.agentKeyVariable} (${config.agentKeyKind} key)` : "no agent key";
  const notes = config.warnings.length ? `; note: ${config.warnings.join(" ")}` : "";
  report({ outcome: "pass", title: "Settings", detail: `${key}${config.userKey ? ", user key from BAND_USER_KEY" : ""}; REST ${config.baseUrl}; socket ${config.wsUrl}${notes}` });

  const proxies = [
    ["REST", config.baseUrl],
    ["socket", config.wsUrl],
  ].map(([what, url]) => {
    const via = proxyFor(url!, config.proxy);
    return `${what} ${via ? `via ${describeProxyUrl(via)}` : "direct"}`;
  });
  const invalid = [config.proxy.httpsProxy, config.proxy.httpProxy].filter((p) => p !== undefined && !URL.canParse(p));
  report(
    invalid.length
      ? { outcome: "fail", title: "Proxy", detail: `not a URL: ${invalid.length} proxy setting(s)`, fix: "Set HTTPS_PROXY / HTTP_PROXY to a URL like http://proxy.example.com:3128, or unset them." }
      : { outcome: "pass", title: "Proxy", detail: `${proxies.join(", ")}${config.proxy.noProxy ? ` (NO_PROXY=${config.proxy.noProxy})` : ""}` },
  );
  return invalid.length ? undefined : config;
}

/**
 * The user key, then each agent. With several agents (the hub), every agent is checked at once and reported in
 * a section of its own, in label order.
 */
async function checkBand(config: Config, report: (check: Check) => void, section: (heading: string) => void, timeoutMs: number): Promise<void> {
  const log = createLogger(config.logLevel === "debug" ? "debug" : "error", secretsOf(config));
  const dispatcher = createDispatcher(config.proxy);
  const client = (key: Secret) => new BandClient({ baseUrl: config.baseUrl, key, dispatcher, log, retry: NO_RETRY, timeoutMs });
  const seconds = `${Math.round(timeoutMs / 1000)} s`;
  try {
    if (config.userKey) {
      const user = client(config.userKey);
      try {
        const { data } = await user.call("getMyProfile", { signal: AbortSignal.timeout(timeoutMs) });
        const who = data as { name?: unknown; username?: unknown; handle?: unknown };
        report({ outcome: "pass", title: "User key", detail: `GET /api/v1/me/profile: ${String(who.name ?? who.username ?? who.handle ?? "ok")}` });
      } catch (error) {
        report({ outcome: "fail", title: "User key", ...explain(error, SETTINGS.userKey.env, config, seconds) });
      }
    }
    if (config.agents.length === 0) {
      report({ outcome: "fail", title: "Agent key", detail: `${KEY_VARIABLE} is not set`, fix: `Set ${KEY_VARIABLE} to the agent key (band_a_…) from the agent's page on app.band.ai: the inbox and the agent tools need it.` });
      return;
    }
    const agent = (one: Config, to: (check: Check) => void) => checkAgent(one, client(one.agentKey!), to, log, timeoutMs, seconds);
    if (config.agents.length === 1 && config.agents[0]!.label === DEFAULT_AGENT) return await agent(forAgent(config), report);
    const sections = await Promise.all(
      config.agents.map(async ({ label, variable }) => {
        const checks: Check[] = [];
        await agent(forAgent(config, label), (check) => checks.push(check));
        return { heading: `Agent "${label}" (${variable})`, checks };
      }),
    );
    for (const { heading, checks } of sections) {
      section(heading);
      checks.forEach(report);
    }
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

/** One agent: its key (REST), the rooms it sees, and a live socket join. */
async function checkAgent(config: Config, agent: BandClient, report: (check: Check) => void, log: Logger, timeoutMs: number, seconds: string): Promise<void> {
  const keyVariable = config.agentKeyVariable;
  let me: { id: string; name: string; handle: string };
  try {
    ({ data: me } = await agent.call("getAgentMe", { signal: AbortSignal.timeout(timeoutMs) }));
    report({ outcome: "pass", title: "REST API", detail: `GET /api/v1/agent/me: ${me.name} (@${me.handle}), id ${me.id}` });
  } catch (error) {
    report({ outcome: "fail", title: "REST API", ...explain(error, keyVariable, config, seconds) });
    report({ outcome: "skip", title: "Rooms", detail: "skipped: needs the REST check to pass" });
    report({ outcome: "skip", title: "Live socket", detail: "skipped: needs the agent id from the REST check" });
    return;
  }
  try {
    const { data, metadata } = await agent.call("listAgentChats", { query: { page: 1, page_size: 100 }, signal: AbortSignal.timeout(timeoutMs) });
    const rooms = data ?? [];
    const total = typeof metadata?.total_count === "number" ? metadata.total_count : rooms.length;
    const names = rooms.slice(0, ROOMS_SHOWN).map((r) => JSON.stringify(r.title ?? r.id));
    const more = total > names.length ? `, … (${total - names.length} more)` : "";
    report({
      outcome: "pass",
      title: "Rooms",
      detail: total === 0 ? "none visible yet: add the agent to a chat on Band (or create one with band_create_chat)" : `${total} visible: ${names.join(", ")}${more}`,
    });
  } catch (error) {
    report({ outcome: "fail", title: "Rooms", ...explain(error, keyVariable, config, seconds) });
  }
  report({ title: "Live socket", ...(await checkSocket(config, me.id, log, timeoutMs)) });
}

/** Opens Band's socket as the server would and joins `agent_rooms:{id}`; the first decisive event wins. */
async function checkSocket(config: Config, agentId: string, log: Logger, timeoutMs: number): Promise<Omit<Check, "title">> {
  const topic = `agent_rooms:${agentId}`;
  const started = Date.now();
  let lastProblem = "no answer";
  let settle: (outcome: Omit<Check, "title">) => void = () => undefined;
  const outcome = new Promise<Omit<Check, "title">>((resolve) => (settle = resolve));
  const proxyAgent = socketProxyAgent(config.wsUrl, config.proxy);
  const socket = new BandSocket({
    wsUrl: config.wsUrl,
    key: config.agentKey!,
    agentId,
    log,
    ...(proxyAgent ? { agent: proxyAgent } : {}),
    reconnect: { baseMs: 500, maxMs: 2_000 },
    handlers: {
      onState: (state, detail) => {
        if (detail) lastProblem = detail;
        if (state === "unauthorized") settle({ outcome: "fail", detail: `refused: ${detail}`, fix: `Set ${config.agentKeyVariable} to a valid agent key.` });
        if (state === "conflict") {
          settle({
            outcome: "fail",
            detail: `refused: ${detail}`,
            fix: "Band allows one live connection per agent. If a band-mcp-server (or SDK agent) with this key is running, that is the holder: stop it to run this check. REST tools work regardless.",
          });
        }
      },
      onJoined: (joined) => {
        if (joined === topic) settle({ outcome: "pass", detail: `connected to ${config.wsUrl} and joined ${topic} in ${Date.now() - started} ms` });
      },
      onEvent: () => undefined,
    },
  });
  const timer = setTimeout(
    () =>
      settle({
        outcome: "fail",
        detail: `no connection within ${Math.round(timeoutMs / 1000)} s (${lastProblem})`,
        fix: `Check BAND_WS_URL (${config.wsUrl}) and that your network${proxyFor(config.wsUrl, config.proxy) ? " and proxy allow" : " allows"} WebSockets to it.`,
      }),
    timeoutMs,
  );
  socket.join(topic, []);
  socket.connect();
  try {
    return await outcome;
  } finally {
    clearTimeout(timer);
    await socket.close();
  }
}

/** What a failed REST call means for the user, and what to change. */
function explain(error: unknown, keyVariable: string, config: Config, seconds: string): { detail: string; fix: string } {
  const proxied = proxyFor(config.baseUrl, config.proxy);
  const network = `Check BAND_BASE_URL (${config.baseUrl}), your network${proxied ? ` and the proxy ${describeProxyUrl(proxied)}` : ", and HTTPS_PROXY if you are behind a proxy"}.`;
  if (error instanceof BandApiError) {
    if (error.status === 401 || error.status === 403) {
      return { detail: `Band rejected the key in ${keyVariable} (HTTP ${error.status})`, fix: `Copy the key again from app.band.ai and set ${keyVariable} to it.` };
    }
    if (error.status === 0) return { detail: `cannot reach Band (${error.bandMessage ?? error.code})`, fix: network };
    return { detail: `Band answered HTTP ${error.status}${error.code ? ` (${error.code})` : ""}`, fix: error.status >= 500 ? "Band has a problem on its side: try again in a minute." : network };
  }
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return { detail: `no answer within ${seconds}`, fix: network };
  return { detail: `failed: ${error instanceof Error ? error.message : String(error)}`, fix: network };
}
