import { HOSTS } from "../setup.js";
import { SERVE, SETTINGS, type Command, type Setting, type SettingName, type Use } from "./table.js";

/** The commands: how each is written, what it does, and which uses of the settings table it takes. */

export interface CommandSpec {
  readonly usage: string;
  /** One line in the list of commands; the longer text opens the command's own help. */
  readonly summary: string;
  readonly about?: string;
  readonly uses: readonly Use[];
  /** The one word the command takes after its name, if any. */
  readonly operand?: { readonly name: string; readonly choices: readonly string[] };
}

export const COMMANDS: Record<Command, CommandSpec> = {
  serve: {
    usage: "band-mcp-server [options]",
    summary: "serve MCP over stdio (default)",
    about: [
      "Usage: band-mcp-server [options]            serve MCP over stdio (default)",
      "       band-mcp-server --http [options]     serve every agent over Streamable HTTP (/mcp, /agents/<label>/mcp),",
      "                                            a REST surface for backends, GET /agents and GET /health",
      "       band-mcp-server --sandbox [options]  serve MCP over stdio on a local demo Band and its web chat (no key)",
    ].join("\n"),
    uses: SERVE,
  },
  doctor: { usage: "band-mcp-server doctor [options]", summary: "check settings, key, REST and the live socket, then exit", uses: ["doctor"] },
  sandbox: {
    usage: "band-mcp-server sandbox [--port <port>]",
    summary: "run only the local demo Band and its web chat (port 8790, or the next free one)",
    about: "Runs a local Band with a demo agent and a web chat until Ctrl-C, and prints the settings that point a server at it (to be sourced).",
    uses: ["sandbox"],
  },
  setup: {
    usage: "band-mcp-server setup [host] [--sandbox]",
    summary: `print the config that starts this server, for one host or all: ${HOSTS.join(", ")}`,
    about: `Prints what to paste into a host's config to start this server (with the path of this install), for one host or for all of them: ${HOSTS.join(", ")}. The key is a placeholder: secrets are never printed.`,
    uses: ["setup"],
    operand: { name: "host", choices: HOSTS },
  },
  watch: {
    usage: "band-mcp-server watch [--agent <label>]",
    summary: "print one line per message reaching the running server's inbox (Claude Code plugin monitor)",
    about: [
      "Follows the inbox of the band-mcp-server already running for this agent (the one that holds its Band",
      "connection) and prints one line per message that reaches it:",
      '  @sender in "room": first 200 characters — call band_wait_for_message',
      "Made for Claude Code's plugin monitors, where the channel is not allowed. It never connects to Band itself:",
      "it reads a socket the server publishes for this user only, waits while no server runs, and follows the next",
      "one when the server restarts. stdout carries only those lines; everything else goes to stderr.",
      "",
      "The agent is the server's: BAND_API_KEY (or BAND_API_KEY_<LABEL> with --agent). With no key set, it follows",
      "the only agent whose server runs for this user.",
    ].join("\n"),
    uses: ["watch"],
  },
  help: { usage: "band-mcp-server help [command]", summary: "show the help of one command", uses: ["help"], operand: { name: "command", choices: ["doctor", "sandbox", "setup", "watch", "help"] } },
};

/** The settings a command takes (for `serve`, in any of its three ways to run), in table order. */
export function settingsOf(command: Command): [SettingName, Setting][] {
  const uses = COMMANDS[command].uses;
  return (Object.entries(SETTINGS) as [SettingName, Setting][]).filter(([, s]) => s.uses.some((u) => uses.includes(u)));
}
