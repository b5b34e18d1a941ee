import type { LogLevel } from "./settings/table.js";
import { redactor } from "./redact.js";

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

/** Logs go to stderr only: stdout belongs to JSON-RPC in stdio mode. */
export function createLogger(level: LogLevel, secrets: readonly string[] = [], write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const redact = redactor(secrets);
  const emit = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (RANK[at] > RANK[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${safeJson(fields)}` : "";
    write(redact(`${new Date().toISOString()} ${at.toUpperCase()} band-mcp: ${escapeControls(message)}${escapeControls(extra)}\n`));
  };
  return {
    error: (m, f) => emit("error", m, f),
    warn: (m, f) => emit("warn", m, f),
    info: (m, f) => emit("info", m, f),
    debug: (m, f) => emit("debug", m, f),
    enabled: (at) => RANK[at] <= RANK[level],
  };
}

/** A logger whose lines name what they are about (the hub's agent label), e.g. `[sales] inbox off: …`. */
export function withPrefix(log: Logger, prefix: string): Logger {
  return {
    error: (m, f) => log.error(`${prefix} ${m}`, f),
    warn: (m, f) => log.warn(`${prefix} ${m}`, f),
    info: (m, f) => log.info(`${prefix} ${m}`, f),
    debug: (m, f) => log.debug(`${prefix} ${m}`, f),
    enabled: (at) => log.enabled(at),
  };
}

/**
 * Ids and names from Band end up in log text: a newline in one would forge a log line, an escape sequence would
 * drive the reader's terminal. Every control character (C0, DEL, C1, line and paragraph separators) is written
 * as a \uXXXX escape instead.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v));
  } catch {
    return "[unserializable]";
  }
}
