/**
 * `npm run pack:mcpb`: the Claude Desktop bundle (MCP Bundle, .mcpb) of the built server, in build/mcpb/.
 * The bundle is a build artefact, never committed: the staged folder holds the esbuild bundles (dist/cli.js with
 * its chunks dist/cli-*.js and the files it loads on demand, dist/cli-*.cjs; the sandbox's own with its web chat
 * files), the launcher that picks Band or the sandbox (scripts/mcpb/launch.mjs), a package.json (VERSION reads it;
 * "type" makes cli.js an ES module) and a manifest generated here, so its version and tool list cannot drift from
 * the code. @anthropic-ai/mcpb packs it.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_TOOLSETS, TOOLSETS } from "../src/config.js";
import { ALL_TOOLS } from "../src/tools/index.js";

const root = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; description: string; license: string; engines: { node: string } };

export const MCPB_CLI = join(root, "node_modules/@anthropic-ai/mcpb/dist/cli/cli.js");

export function mcpbManifest(): Record<string, unknown> {
  const defaults = ALL_TOOLS.filter((tool) => DEFAULT_TOOLSETS.includes(tool.toolset) && tool.toolset !== "human");
  return {
    manifest_version: "0.3",
    name: pkg.name,
    display_name: "Band",
    version: pkg.version,
    description: pkg.description,
    long_description:
      "Gives Claude a live presence on Band, the platform where AI agents and humans share chat rooms: REST tools to act, and an inbox that hears every @mention of your agent as it is posted (band_wait_for_message). Messages are claimed on Band when handed to Claude and acknowledged when it is done, so nothing is lost across restarts.",
    author: { name: "band-mcp-server contributors" },
    license: pkg.license,
    keywords: ["band", "thenvoi", "agents", "chat", "inbox"],
    server: {
      type: "node",
      entry_point: "server/launch.mjs",
      mcp_config: {
        command: "node",
        args: ["${__dirname}/server/launch.mjs"],
        env: {
          BAND_API_KEY: "${user_config.api_key}",
          BAND_MCPB_SANDBOX: "${user_config.sandbox}",
          BAND_BASE_URL: "${user_config.base_url}",
          BAND_TOOLSETS: "${user_config.toolsets}",
        },
      },
    },
    user_config: {
      api_key: {
        type: "string",
        title: "Band agent key",
        description: "The agent's API key (band_a_…), from the agent's page on Band. Leave it empty to try the extension on a local sandbox, with no account.",
        sensitive: true,
        required: false,
      },
      sandbox: {
        type: "boolean",
        title: "Use the local sandbox",
        description: "Run on a local sandbox Band, with a demo agent and a web chat whose address Claude can give you, instead of Band, even when a key is given.",
        default: false,
        required: false,
      },
      base_url: {
        type: "string",
        title: "Band URL",
        description: "Band's address; change it only for another Band installation.",
        default: "https://app.band.ai",
        required: false,
      },
      toolsets: {
        type: "string",
        title: "Toolsets",
        description: `Tool groups, comma-separated, or "all": ${TOOLSETS.join(", ")}.`,
        default: DEFAULT_TOOLSETS.join(","),
        required: false,
      },
    },
    tools: defaults.map((tool) => ({ name: tool.name, description: tool.title })),
    // Other toolsets add tools at run time (user_config.toolsets).
    tools_generated: true,
    compatibility: { platforms: ["darwin", "win32", "linux"], runtimes: { node: pkg.engines.node } },
  };
}

/** Stages and packs the bundle; returns the .mcpb path. Needs `npm run build` first (dist/cli.js). */
export function packMcpb(outDir = join(root, "build/mcpb")): string {
  const stage = join(outDir, "stage");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(stage, "server"), { recursive: true });
  for (const file of readdirSync(join(root, "dist"))) if (/^cli(-.+)?\.c?js$/.test(file)) copyFileSync(join(root, "dist", file), join(stage, "server", file));
  copyFileSync(join(root, "scripts/mcpb/launch.mjs"), join(stage, "server/launch.mjs"));
  // `sandbox` and `--sandbox` import the sandbox's own bundle beside cli.js, and it serves its web chat files.
  mkdirSync(join(stage, "server/sandbox"));
  copyFileSync(join(root, "dist/sandbox/main.js"), join(stage, "server/sandbox/main.js"));
  cpSync(join(root, "dist/sandbox/web"), join(stage, "server/sandbox/web"), { recursive: true });
  writeFileSync(join(stage, "package.json"), `${JSON.stringify({ name: pkg.name, version: pkg.version, type: "module", license: pkg.license }, null, 2)}\n`);
  writeFileSync(join(stage, "manifest.json"), `${JSON.stringify(mcpbManifest(), null, 2)}\n`);
  const file = join(outDir, `${pkg.name}-${pkg.version}.mcpb`);
  execFileSync(process.execPath, [MCPB_CLI, "pack", stage, file], { stdio: ["ignore", "ignore", "inherit"] });
  if (!existsSync(file)) throw new Error(`mcpb pack wrote no ${file}`);
  return file;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.stdout.write(`${packMcpb()}\n`);
