import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "../../dist/cli.js");

/** The built program as a person types it, with nothing in the environment but PATH. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "" }, encoding: "utf8", timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The flags an `Options:` section lists. */
const flagsIn = (help: string) => [...help.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]);

describe("each command's own help", () => {
  it("help sandbox prints the sandbox's usage and only its flags", () => {
    const { code, stdout, stderr } = cli("help", "sandbox");
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^Usage: band-mcp-server sandbox \[--port <port>\]/);
    expect(flagsIn(stdout)).toEqual(["port", "help"]);
    expect(stdout).toContain("BAND_SANDBOX_DIR");
  });

  it("sandbox --help prints the same as help sandbox, and starts no sandbox", () => {
    const byFlag = cli("sandbox", "--help");
    expect(byFlag.code).toBe(0);
    expect(byFlag.stdout).toBe(cli("help", "sandbox").stdout);
    expect(byFlag.stdout).not.toContain("BAND_BASE_URL=");
  });

  it("help alone is the server's help; an unknown topic is a usage error with the nearest command", () => {
    const help = cli("help");
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(cli("--help").stdout);
    const typo = cli("help", "sandbx");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command "sandbx" (did you mean sandbox?');
    expect(typo.stdout).toBe("");
  });
});

describe("flags the command line refuses", () => {
  it("a typo gets the nearest flag, exit code 2 and usage on stderr", () => {
    const { code, stdout, stderr } = cli("--chanel");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option --chanel (did you mean --channel?)");
    expect(stderr).toContain("Usage: band-mcp-server");
    expect(stdout).toBe("");
  });

  it("a flag the command does not use is an error, not ignored: sandbox --channel", () => {
    const { code, stdout, stderr } = cli("sandbox", "--channel", "--port", "0");
    expect(code).toBe(2);
    expect(stderr).toContain("sandbox does not take --channel (only --port)");
    expect(stderr).toContain("Usage: band-mcp-server sandbox");
    expect(stdout).toBe("");
  });

  it("lists every problem at once: a mistyped command, a bad value, a flag of another mode", () => {
    const { code, stderr } = cli("doctr", "--log-level", "loud", "--host", "0.0.0.0");
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "doctr" (did you mean doctor?)');
    expect(stderr).toContain('--log-level "loud" must be one of error, warn, info, debug');
    expect(stderr).toContain("--host needs --http");
  });
});

describe("a command's name among its flags", () => {
  it("runs that command: --agent ops watch follows an inbox, it does not start a server", () => {
    const { code, stderr } = cli("--agent", "ops", "watch");
    expect(code).toBe(1);
    expect(stderr).toMatch(/^band-mcp-server watch: /);
    expect(stderr).toContain("BAND_API_KEY is not set");
  });
});
