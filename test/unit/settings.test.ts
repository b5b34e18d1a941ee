import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configFlags, flagsOf, parseCommandLine } from "../../src/settings/argv.js";
import { COMMANDS } from "../../src/settings/commands.js";
import { helpText } from "../../src/settings/help.js";
import { withCommandHelp } from "../../scripts/settings-help.js";
import { SETTINGS, type Command, type Setting, type Use } from "../../src/settings/table.js";

const settings = Object.values(SETTINGS) as Setting[];
const commands = Object.keys(COMMANDS) as Command[];

/** The contract's settings table (the public names users set), written out here so a dropped one fails. */
const CONTRACT_VARIABLES = [
  "BAND_API_KEY",
  "BAND_AGENT_KEY",
  "THENVOI_API_KEY",
  "BAND_USER_KEY",
  "BAND_BASE_URL",
  "BAND_WS_URL",
  "BAND_TOOLSETS",
  "BAND_READ_ONLY",
  "BAND_LIVE",
  "BAND_INBOX_CAPACITY",
  "BAND_LOG_LEVEL",
  "BAND_MCP_HTTP_TOKEN",
  "BAND_CHANNEL",
  "BAND_PERMISSION_APPROVERS",
  "BAND_PERMISSION_CHAT_ID",
  "BAND_API_KEY_<LABEL>",
  "BAND_MCP_HTTP_TOKEN_<LABEL>",
  "BAND_MCP_HTTP_JWT_SECRET",
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "NO_PROXY",
  "BAND_RESYNC_SECONDS",
  "BAND_STANDBY_SECONDS",
  "BAND_CLAIM_TIMEOUT_SECONDS",
  "BAND_LOOP_LIMIT",
  "BAND_SANDBOX_DIR",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
];

/** What each command takes, written out: the table must produce exactly these. */
const EXPECTED_FLAGS: Record<Command, string[]> = {
  serve: ["http", "agent", "host", "port", "sandbox", "base-url", "ws-url", "toolsets", "read-only", "no-live", "inbox-capacity", "inbox-max-bytes", "log-level", "resync-seconds", "standby-seconds", "claim-timeout-seconds", "loop-limit", "channel", "version", "help"],
  doctor: ["base-url", "ws-url", "toolsets", "read-only", "no-live", "inbox-capacity", "inbox-max-bytes", "log-level", "resync-seconds", "standby-seconds", "claim-timeout-seconds", "loop-limit", "channel", "help"],
  sandbox: ["port", "help"],
  setup: ["sandbox", "help"],
  watch: ["agent", "help"],
  help: ["help"],
};

/** The flags an `Options:` section lists, in order. */
const flagsIn = (help: string) => [...help.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]);

describe("the settings table", () => {
  it("holds every variable of the contract", () => {
    const names = new Set(settings.flatMap((s) => (s.env ? [s.env, ...(s.aliases ?? [])] : [])));
    expect(CONTRACT_VARIABLES.filter((name) => !names.has(name))).toEqual([]);
  });

  it("never offers a secret as a flag", () => {
    const secrets = settings.filter((s) => s.secret);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(secrets.filter((s) => s.flag !== undefined).map((s) => s.env)).toEqual([]);
  });

  it("writes every flag in kebab-case, and each once", () => {
    const flags = settings.flatMap((s) => (s.flag ? [s.flag] : []));
    for (const flag of flags) expect(flag).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(new Set(flags).size).toBe(flags.length);
  });

  it("says why, for each way to run the server, a flag of the server it refuses", () => {
    const modes: Use[] = ["stdio", "http", "sandboxed"];
    // --http and --sandbox choose the way to run: they are never given in another.
    const switches = [SETTINGS.http, SETTINGS.sandbox] as Setting[];
    for (const setting of settings.filter((s) => s.flag && !switches.includes(s) && s.uses.some((u) => modes.includes(u)))) {
      for (const mode of modes) if (!setting.uses.includes(mode)) expect(setting.refusals?.[mode], `--${setting.flag} in ${mode}`).toBeDefined();
    }
  });

  it("gives each command exactly its flags, and its help lists exactly those", () => {
    for (const command of commands) {
      expect(flagsOf(command), command).toEqual(EXPECTED_FLAGS[command]);
      expect(flagsIn(helpText(command)).sort(), `help of ${command}`).toEqual([...EXPECTED_FLAGS[command]].sort());
    }
  });

  it("keeps every help line within 112 columns, and every command's help opens with its usage", () => {
    for (const command of commands) {
      const help = helpText(command);
      expect(help.split("\n").filter((line) => line.length > 112), command).toEqual([]);
      expect(help.startsWith(`Usage: ${COMMANDS[command].usage}`), command).toBe(true);
    }
  });

  it("has every variable and flag in docs/settings.md's table, and the table names none it lacks", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/settings.md"), "utf8");
    const table = doc.split("\n## ")[0]!.split("\n").filter((line) => line.startsWith("| "));
    const text = table.join("\n");
    for (const setting of settings) {
      for (const name of setting.env ? [setting.env, ...(setting.aliases ?? []).filter((a) => a !== a.toLowerCase())] : []) expect(text, name).toContain(name);
      if (setting.flag && setting.flag !== "help" && setting.flag !== "version") expect(text, `--${setting.flag}`).toContain(`--${setting.flag}`);
    }
    const known = new Set(settings.flatMap((s) => [s.env, ...(s.aliases ?? []), s.flag && `--${s.flag}`]));
    const named = [...text.matchAll(/`((?:--[a-z-]+)|(?:[A-Z][A-Z0-9_]*[A-Z0-9](?:_<LABEL>)?))/g)].map((m) => m[1]!);
    expect(named.filter((name) => !known.has(name) && !name.startsWith("OTEL"))).toEqual([]);
  });

  it("is what docs/settings.md shows for each command (npm run gen rewrites it)", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/settings.md"), "utf8");
    expect(withCommandHelp(doc)).toBe(doc);
  });
});

describe("reading a command line", () => {
  const problems = (...argv: string[]) => {
    const line = parseCommandLine(argv);
    return "problems" in line ? line.problems : [];
  };

  it("names the nearest flag or command for a typo", () => {
    expect(problems("--chanel")).toEqual(["unknown option --chanel (did you mean --channel?)"]);
    expect(problems("sandbox", "--prot", "1")).toContain("unknown option --prot for sandbox (did you mean --port?)");
    expect(problems("setpu")).toEqual(['unknown command "setpu" (did you mean setup?)']);
  });

  it("refuses a flag the command does not use, and one the way to run does not, each with its reason", () => {
    expect(problems("sandbox", "--channel")).toEqual(["sandbox does not take --channel (only --port)"]);
    expect(problems("setup", "--toolsets", "all")).toEqual(["setup does not take --toolsets (only --sandbox)"]);
    expect(problems("--http", "--agent", "ops")).toEqual(["--agent is for stdio: --http serves every configured agent"]);
    expect(problems("--sandbox", "--ws-url", "ws://x")).toEqual(["--ws-url does not go with the sandbox, which is the Band to connect to"]);
  });

  it("checks a flag's value with the setting's own schema, without echoing a URL's password", () => {
    expect(problems("--inbox-capacity", "0")).toEqual(['--inbox-capacity "0" must be at least 1']);
    expect(problems("--toolsets", "chats,nope")).toEqual([expect.stringMatching(/^--toolsets has unknown toolset\(s\) nope\./)]);
    expect(problems("--base-url", "ftp://me:hunter2pw@band.test").join()).not.toContain("hunter2pw");
  });

  it("hands the settings among the flags to the config, a switch as the value it sets", () => {
    const line = parseCommandLine(["--no-live", "--read-only", "--log-level", "debug", "--http", "--port", "0"]);
    expect("problems" in line ? line.problems : configFlags(line.given)).toEqual({ live: false, readOnly: true, logLevel: "debug" });
  });
});
