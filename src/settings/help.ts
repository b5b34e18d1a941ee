import { COMMANDS, settingsOf } from "./commands.js";
import type { Command, Setting } from "./table.js";

/** Each command's help, written from the settings table: its usage, its flags, the variables it reads. */

const WIDTH = 112;
const COLUMN = 26;
/** Where the command list's summaries start. */
const SYNOPSIS = 44;

/** `  --label    text`, the text wrapped under its column (after the label, when the label is longer). */
function row(label: string, text: string, column = COLUMN): string {
  const head = `  ${label}`;
  const first = head.length + 2 <= column ? head.padEnd(column) : `${head}  `;
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    const start = lines.length === 0 ? first.length : column;
    if (current && start + current.length + 1 + word.length > WIDTH) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  lines.push(current);
  return [first + lines[0], ...lines.slice(1).map((l) => " ".repeat(column) + l)].join("\n");
}

/** Prose lines longer than the width, wrapped at a space. */
function wrap(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let out = "";
      let rest = line;
      while (rest.length > WIDTH && rest.lastIndexOf(" ", WIDTH) > 0) {
        const cut = rest.lastIndexOf(" ", WIDTH);
        out += `${rest.slice(0, cut)}\n`;
        rest = rest.slice(cut + 1);
      }
      return out + rest;
    })
    .join("\n");
}

function shownDefault(setting: Setting): string | undefined {
  if (setting.shown !== undefined) return setting.shown;
  const value = setting.default;
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** What a flag's help says after its line: the variable it stands for, and the default. */
function flagSuffix(setting: Setting): string {
  if (setting.env === undefined) return "";
  if (!setting.value) return ` (${setting.env}${setting.sets === false ? "=false" : ""})`;
  const shown = shownDefault(setting);
  return ` (${setting.env}${shown !== undefined ? `, default ${shown}` : ""})`;
}

function envSuffix(setting: Setting): string {
  const shown = shownDefault(setting);
  const aliases = setting.aliases?.length ? `; also read from ${setting.aliases.join(", ")}` : "";
  const when = shown === undefined ? "" : shown.startsWith("required") ? ` (${shown})` : ` (default: ${shown})`;
  return `${when}${aliases}${setting.secret ? "; secret" : ""}`;
}

function synopsis(): string {
  const others = (Object.keys(COMMANDS) as Command[]).filter((c) => c !== "serve");
  const lines = others.map((c) => {
    const usage = `     ${COMMANDS[c].usage}`;
    return usage.length + 4 <= SYNOPSIS ? row(usage, COMMANDS[c].summary, SYNOPSIS) : `  ${usage}\n${row("", COMMANDS[c].summary, SYNOPSIS)}`;
  });
  return `${COMMANDS.serve.about}\n${lines.join("\n")}\n`;
}

export function helpText(command: Command): string {
  const spec = COMMANDS[command];
  const settings = settingsOf(command);
  const head = command === "serve" ? synopsis() : `Usage: ${spec.usage}\n\n${wrap(spec.about ?? `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`)}\n`;
  const flags = settings.flatMap(([, s]) =>
    s.flag ? [row(`${s.short ? `-${s.short}, ` : ""}--${s.flag}${s.value ? ` ${s.value}` : ""}`, `${s.helpIn?.[command] ?? s.help}${flagSuffix(s)}`)] : [],
  );
  const variables = settings.flatMap(([, s]) => (s.env !== undefined && !s.flag ? [row(s.env, `${s.helpIn?.[command] ?? s.help}${envSuffix(s)}`)] : []));
  const sections = [head, `Options:\n${flags.join("\n")}\n`];
  if (variables.length > 0) sections.push(`Environment only (secrets never come from flags):\n${variables.join("\n")}\n`);
  if (command === "serve") sections.push("Flags win over the environment. Each command's own flags: band-mcp-server help <command>.\n");
  return sections.join("\n");
}
