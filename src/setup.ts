import { fileURLToPath } from "node:url";

/**
 * What a host must run to start this server, and that command written in each host's config format: what
 * `band-mcp-server setup` prints, so nobody hand-edits the path of a clone.
 */

export const HOSTS = ["claude-code", "claude-desktop", "cursor", "vscode", "codex"] as const;
export type HostName = (typeof HOSTS)[number];

export interface LaunchCommand {
  command: string;
  args: string[];
}

/**
 * How to start the program this process runs: `node <absolute entry>` for a clone or an install, or the
 * published `npx` form when npx's cache holds it (that path changes from one run to the next).
 */
export function selfCommand(entry: string = fileURLToPath(new URL("./cli.js", import.meta.url))): LaunchCommand {
  return /[\\/]_npx[\\/]/.test(entry) ? { command: "npx", args: ["-y", "band-mcp-server"] } : { command: "node", args: [entry] };
}

export interface SetupOptions {
  self: LaunchCommand;
  sandbox: boolean;
}

const KEY_PLACEHOLDER = "band_a_your_agent_key";

function server(options: SetupOptions): { name: string; launch: LaunchCommand; env?: Record<string, string> } {
  const launch = { command: options.self.command, args: [...options.self.args, ...(options.sandbox ? ["--sandbox"] : [])] };
  return options.sandbox ? { name: "band-sandbox", launch } : { name: "band", launch, env: { BAND_API_KEY: KEY_PLACEHOLDER } };
}

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function claudeCode(options: SetupOptions): string {
  const { name, launch, env } = server(options);
  const envFlags = env ? Object.keys(env).map((k) => `--env ${k}="$${k}" `).join("") : "";
  return [
    `Claude Code: run${env ? " (with BAND_API_KEY set in your shell)" : ""}`,
    `  claude mcp add ${name} ${envFlags}-- ${[launch.command, ...launch.args].map(shellQuote).join(" ")}`,
    "  (add --scope user to use it in every project; `claude mcp list` shows whether it connected)",
  ].join("\n");
}

function mcpServersJson(options: SetupOptions, key: "mcpServers" | "servers"): string {
  const { name, launch, env } = server(options);
  const entry = { ...(key === "servers" ? { type: "stdio" } : {}), ...launch, ...(env ? { env } : {}) };
  return JSON.stringify({ [key]: { [name]: entry } }, null, 2);
}

function codexToml(options: SetupOptions): string {
  const { name, launch, env } = server(options);
  // JSON strings are valid TOML basic strings (same escapes).
  const lines = [`[mcp_servers.${name}]`, `command = ${JSON.stringify(launch.command)}`, `args = [${launch.args.map((a) => JSON.stringify(a)).join(", ")}]`];
  if (env) lines.push(`env = { ${Object.entries(env).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} }`);
  return lines.join("\n");
}

const SECTIONS: Record<HostName, (options: SetupOptions) => string> = {
  "claude-code": claudeCode,
  "claude-desktop": (o) =>
    [
      "Claude Desktop: add to claude_desktop_config.json (Settings → Developer → Edit Config), then restart it",
      "  macOS:   ~/Library/Application Support/Claude/claude_desktop_config.json",
      "  Windows: %APPDATA%\\Claude\\claude_desktop_config.json",
      "  Linux:   ~/.config/Claude/claude_desktop_config.json",
      mcpServersJson(o, "mcpServers"),
    ].join("\n"),
  cursor: (o) => ["Cursor: add to ~/.cursor/mcp.json (every project) or .cursor/mcp.json (one project)", mcpServersJson(o, "mcpServers")].join("\n"),
  vscode: (o) => ["VS Code: add to .vscode/mcp.json", mcpServersJson(o, "servers")].join("\n"),
  codex: (o) => ["Codex: add to ~/.codex/config.toml", codexToml(o)].join("\n"),
};

/** The text `setup` prints: one host's config, or every host's. */
export function setupText(options: SetupOptions & { host?: HostName; nodePath?: string }): string {
  const hosts = options.host ? [options.host] : HOSTS;
  const notes: string[] = [];
  if (!options.sandbox) notes.push(`Replace ${KEY_PLACEHOLDER} with the agent key from the agent's page on app.band.ai (the placeholder is refused at start).`);
  if (options.self.command === "node" && options.nodePath) notes.push(`A host that cannot find "node" (an app started without your shell's PATH) takes "${options.nodePath}" as the command.`);
  return [...hosts.map((h) => SECTIONS[h](options)), ...notes].join("\n\n") + "\n";
}

/** What the stdio server says on stderr when a person, not a host, started it in a terminal. */
export function terminalHint(options: SetupOptions): string {
  const setup = [options.self.command, ...options.self.args, "setup", ...(options.sandbox ? ["--sandbox"] : [])].map(shellQuote).join(" ");
  return [
    "band-mcp-server is an MCP server: an MCP host (Claude Code, Claude Desktop, Cursor, VS Code, Codex) starts it and",
    "speaks JSON-RPC with it on stdin/stdout. Run in a terminal it has no model to hand @mentions to: they wait, unanswered.",
    "To connect a host, stop this (Ctrl-C) and give the host this command; for Claude Code:",
    `  ${claudeCode(options).split("\n")[1]!.trim()}`,
    `Every host's config: ${setup}`,
    "",
  ].join("\n");
}
