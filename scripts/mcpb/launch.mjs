/**
 * The Claude Desktop bundle's entry point (copied into the bundle as server/launch.mjs by scripts/pack-mcpb.ts).
 * Desktop passes the extension's settings in the environment: with no agent key (mcpb leaves an optional setting
 * with no value unsubstituted, "${user_config.api_key}"; an emptied one is ""), or with the sandbox chosen, the
 * server runs on its embedded sandbox, so the extension can be tried without an account. Otherwise it is the server
 * on Band with that key, exactly as `band-mcp-server` runs it.
 */
const key = process.env.BAND_API_KEY?.trim() ?? "";
const noKey = key === "" || key.startsWith("${");
if (process.env.BAND_MCPB_SANDBOX === "true" || noKey) process.argv.splice(2, 0, "--sandbox");
if (noKey) {
  delete process.env.BAND_API_KEY;
  process.stderr.write("band-mcp-server: no agent key in the extension's settings, so this runs on the local sandbox (no account needed); give the agent's key in Settings → Extensions → Band to use Band.\n");
}
delete process.env.BAND_MCPB_SANDBOX;
await import("./cli.js");
