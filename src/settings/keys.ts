import { firstSet, nonEmpty, type Env } from "./read.js";
import { KEY_VARIABLE, KEY_VARIABLES, prefixOf, SETTINGS } from "./table.js";

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

export const DEFAULT_AGENT = "default";
const LABELLED_KEY = prefixOf(SETTINGS.agentKeys.env);
const LABELLED_TOKEN = prefixOf(SETTINGS.agentTokens.env);
const USER_KEY = SETTINGS.userKey.env;
const JWT_SECRET = SETTINGS.jwtSecret.env;
/** HS256 keys shorter than the hash are guessable offline from any token. */
const MIN_JWT_SECRET = 32;

/** `BAND_API_KEY_SALES_BOT` → `sales-bot`. */
function labelOf(suffix: string): string {
  return suffix.toLowerCase().replaceAll("_", "-");
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

export interface Keys {
  agents: AgentConfig[];
  /** The variable the default agent's key came from (BAND_API_KEY or an alias). */
  agentVariable?: string;
  userKey?: string;
  agentTokens: Map<string, Secret>;
  httpToken?: string;
  jwtSecret?: string;
}

/** The agent keys (default and labelled), the user key and the HTTP secrets, each checked without echoing it. */
export function loadKeys(env: Env, problems: string[], warnings: string[]): Keys {
  const agentKey = firstSet(env, KEY_VARIABLES);
  const userKey = nonEmpty(env, USER_KEY);

  const agentKeyKind = (variable: string, text: string): KeyKind => {
    const problem = keyProblem(variable, text);
    const kind = keyKind(text);
    if (problem) problems.push(problem);
    else if (kind === "user") {
      problems.push(`${variable} holds a user key (band_u_…). Put it in ${USER_KEY} instead, and set ${variable} to an agent key (band_a_…).`);
    } else if (kind === "unknown") {
      warnings.push(`${variable} does not start with a known Band prefix (band_a_, thnv_a_, band_, thnv_); using it as an agent key.`);
    }
    return kind;
  };
  const agents: AgentConfig[] = [];
  if (agentKey) agents.push({ label: DEFAULT_AGENT, key: new Secret(agentKey.value), kind: agentKeyKind(agentKey.name, agentKey.value), variable: agentKey.name });
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
      problems.push(`${variable} and ${agentKey?.name} both name the agent "default": keep one.`);
      continue;
    }
    agents.push({ label, key: new Secret(text), kind: agentKeyKind(variable, text), variable });
  }
  const agentTokens = new Map<string, Secret>();
  for (const { variable, label, text } of labelled(LABELLED_TOKEN)) {
    if (!agents.some((a) => a.label === label)) {
      problems.push(`${variable} is a token for an agent "${label}" that is not configured: set ${LABELLED_KEY}${variable.slice(LABELLED_TOKEN.length)} (or remove the token).`);
    } else agentTokens.set(label, new Secret(text));
  }
  const jwtSecret = nonEmpty(env, JWT_SECRET);
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < MIN_JWT_SECRET) {
    problems.push(`${JWT_SECRET} is too short for HS256: use at least ${MIN_JWT_SECRET} random bytes (e.g. the output of \`openssl rand -hex 32\`).`);
  }
  if (userKey) {
    const problem = keyProblem(USER_KEY, userKey);
    if (problem) problems.push(problem);
    else if (keyKind(userKey) === "agent") {
      problems.push(`${USER_KEY} holds an agent key (band_a_…). Put it in ${KEY_VARIABLE}, and set ${USER_KEY} to a user key (band_u_…) or unset it.`);
    }
  }
  if (agents.length === 0 && !userKey) {
    problems.push(`${KEY_VARIABLE} is not set. Set it to your Band agent key (band_a_…), from the agent's page on app.band.ai; or set ${USER_KEY} for the human toolset only.`);
  }
  const httpToken = nonEmpty(env, SETTINGS.httpToken.env);
  return {
    agents,
    ...(agentKey ? { agentVariable: agentKey.name } : {}),
    ...(userKey ? { userKey } : {}),
    agentTokens,
    ...(httpToken ? { httpToken } : {}),
    ...(jwtSecret ? { jwtSecret } : {}),
  };
}

/** Every secret value the keys hold, for redacting problems that may echo one. */
export function secretTexts(keys: Keys): string[] {
  return [...keys.agents.map((a) => a.key.reveal()), ...[...keys.agentTokens.values()].map((t) => t.reveal()), keys.userKey, keys.jwtSecret, keys.httpToken].filter(
    (s): s is string => s !== undefined,
  );
}
