import { describe, expect, it } from "vitest";
import { selfCommand, setupText, shellQuote } from "../../src/setup.js";

describe("setup's launch command", () => {
  it("is node and the absolute entry for a clone or an install, the published npx form from npx's cache", () => {
    expect(selfCommand("/home/me/band-mcp-server/dist/cli.js")).toEqual({ command: "node", args: ["/home/me/band-mcp-server/dist/cli.js"] });
    expect(selfCommand("/home/me/.npm/_npx/1a2b/node_modules/band-mcp-server/dist/cli.js")).toEqual({ command: "npx", args: ["-y", "band-mcp-server"] });
    expect(selfCommand("C:\\Users\\me\\AppData\\Local\\npm-cache\\_npx\\1a2b\\node_modules\\band-mcp-server\\dist\\cli.js").command).toBe("npx");
  });

  it("quotes a path with spaces or quotes for the shell, and writes Windows paths as valid JSON and TOML strings", () => {
    expect(shellQuote("/opt/band/dist/cli.js")).toBe("/opt/band/dist/cli.js");
    expect(shellQuote("/Users/Me/My Code/it's/cli.js")).toBe(`'/Users/Me/My Code/it'\\''s/cli.js'`);
    const self = { command: "node", args: ["C:\\Users\\Me\\band\\dist\\cli.js"] };
    expect(setupText({ self, sandbox: true, host: "claude-code" })).toContain(`-- node 'C:\\Users\\Me\\band\\dist\\cli.js' --sandbox`);
    const codex = setupText({ self, sandbox: true, host: "codex" });
    expect(codex).toContain('args = ["C:\\\\Users\\\\Me\\\\band\\\\dist\\\\cli.js", "--sandbox"]');
  });
});
