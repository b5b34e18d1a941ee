import { parseArgs } from "node:util";
import { redactor } from "../redact.js";
import { COMMANDS, settingsOf } from "./commands.js";
import { SETTINGS, type Command, type Setting, type SettingName, type Use } from "./table.js";
import type { ConfigFlags } from "./read.js";

/** A command line the table accepts: the command, how `serve` runs, and the flags given. */
export interface CommandLine {
  command: Command;
  /** For `serve`: stdio, `--http` or `--sandbox`; otherwise the command itself. */
  use: Use;
  /** The word after the command (setup's host, help's command). */
  operand?: string;
  /** Every flag given, by setting name: a switch as true, a value as written. */
  given: { [K in SettingName]?: (typeof SETTINGS)[K] extends { value: string } ? string : true };
}

const WORDS = Object.keys(COMMANDS).filter((c) => c !== "serve") as Command[];
const OPTIONS = Object.fromEntries(
  (Object.values(SETTINGS) as Setting[]).flatMap((s) => (s.flag ? [[s.flag, { type: s.value ? "string" : "boolean", ...(s.short ? { short: s.short } : {}) }]] : [])),
) as Record<string, { type: "string" | "boolean"; short?: string }>;
const BY_FLAG = new Map((Object.entries(SETTINGS) as [SettingName, Setting][]).flatMap(([name, s]) => (s.flag ? [[s.flag, name] as const] : [])));

/** The candidate with the fewest single-character edits from `word`. */
export function nearest(word: string, candidates: readonly string[]): string {
  const distance = (a: string, b: string) => {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = row;
    }
    return previous[b.length]!;
  };
  return candidates.reduce((best, c) => (distance(word, c) < distance(word, best) ? c : best));
}

/** The flags a command takes, `--help` last. */
export function flagsOf(command: Command): string[] {
  const flags = settingsOf(command).flatMap(([, s]) => (s.flag ? [s.flag] : []));
  return [...flags.filter((f) => f !== "help"), "help"];
}

/**
 * Reads argv against the table, collecting every problem rather than stopping at the first: unknown flags and
 * words (each with the nearest valid one), flags the command does not use, missing or bad values.
 * `only` reads the arguments of that command, given without its name.
 */
export function parseCommandLine(argv: string[], only?: Command): CommandLine | { command: Command; problems: string[] } {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const problems: string[] = [];
  const words = [...positionals];
  const command = only ?? (words[0] !== undefined && (WORDS as string[]).includes(words[0]) ? (words.shift() as Command) : "serve");
  const spec = COMMANDS[command];
  const use: Use = command !== "serve" ? (command as Use) : values.sandbox === true ? "sandboxed" : values.http === true ? "http" : "stdio";
  const own = flagsOf(command);
  const named = command === "serve" ? "" : ` for ${command}`;

  const given: CommandLine["given"] = {};
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    // Own keys only: "--constructor" must be unknown, not Object.prototype's member.
    const name = Object.hasOwn(OPTIONS, token.name) ? BY_FLAG.get(token.name) : undefined;
    if (name === undefined) {
      problems.push(`unknown option ${token.rawName}${named} (did you mean --${nearest(token.name, own)}?)`);
      continue;
    }
    const setting: Setting = SETTINGS[name];
    if (!setting.uses.includes(use)) {
      const others = own.filter((f) => f !== "help");
      const which = others.length === 0 ? "it takes none" : others.length <= 3 ? `only ${others.map((f) => `--${f}`).join(", ")}` : `see band-mcp-server ${command} --help`;
      problems.push(setting.refusals?.[use] ?? `${command} does not take ${token.rawName} (${which})`);
    } else if (setting.value && (token.value === undefined || token.value === "")) problems.push(`option ${token.rawName} needs a value`);
    else if (!setting.value && token.value !== undefined) problems.push(`option ${token.rawName} takes no value`);
    else if (setting.value && setting.schema) {
      const result = setting.schema.safeParse(token.value);
      if (!result.success) {
        const message = result.error.issues[0]?.message ?? "is invalid";
        problems.push(setting.quiet ? `--${setting.flag} ${message}` : `--${setting.flag} ${JSON.stringify(token.value)} ${message}`);
      }
    }
    (given as Record<string, string | true>)[name] = setting.value ? (token.value ?? "") : true;
  }

  const [operand, ...extra] = spec.operand ? words : [];
  if (spec.operand && operand !== undefined && !spec.operand.choices.includes(operand)) {
    problems.push(`${command}: unknown ${spec.operand.name} "${operand}" (did you mean ${nearest(operand, spec.operand.choices)}? one of ${spec.operand.choices.join(", ")})`);
  }
  for (const word of spec.operand ? extra : words) {
    if (command === "serve") problems.push(`unknown command "${word}" (did you mean ${nearest(word, WORDS)}?)`);
    else problems.push(spec.operand ? `${command}: unexpected "${word}"` : `${command} takes no argument "${word}"`);
  }
  // A value may be a URL with a password in it.
  if (problems.length > 0) return { command, problems: [...new Set(problems)].map(redactor([])) };
  return { command, use, given, ...(operand !== undefined ? { operand } : {}) };
}

/** The settings among the flags given, for loadConfig (flags win over the environment). */
export function configFlags(given: CommandLine["given"]): ConfigFlags {
  const flags: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(given) as [SettingName, string | true][]) {
    const setting: Setting = SETTINGS[name];
    if (setting.env !== undefined) flags[name] = setting.value ? value : setting.sets!;
  }
  return flags as ConfigFlags;
}
