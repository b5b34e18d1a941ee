import type { LogLevel } from "./config.js";

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

/** Masks every known secret, and anything shaped like a Band key, wherever it appears in a text. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const known = secrets.filter((s) => s.length >= 4);
  return (text) => {
    let out = text;
    for (const secret of known) out = out.split(secret).join("[redacted]");
    // Key-shaped: a prefix, an optional kind, then one long random run (tool names have short, underscored words).
    return out.replace(/\b(band|thnv)_([au]_)?[A-Za-z0-9]{16,}/g, "$1_$2[redacted]");
  };
}

/** Logs go to stderr only: stdout belongs to JSON-RPC in stdio mode. */
export function createLogger(level: LogLevel, secrets: readonly string[] = [], write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const redact = redactor(secrets);
  const emit = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (RANK[at] > RANK[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${safeJson(fields)}` : "";
    write(redact(`${new Date().toISOString()} ${at.toUpperCase()} band-mcp: ${message}${extra}\n`));
  };
  return {
    error: (m, f) => emit("error", m, f),
    warn: (m, f) => emit("warn", m, f),
    info: (m, f) => emit("info", m, f),
    debug: (m, f) => emit("debug", m, f),
    enabled: (at) => RANK[at] <= RANK[level],
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v));
  } catch {
    return "[unserializable]";
  }
}
