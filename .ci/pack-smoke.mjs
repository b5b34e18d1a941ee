// `npm pack`, then `npx -y ./band-mcp-server-*.tgz` from an empty folder must start the server and answer initialize.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "band-pack-"));
try {
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root, encoding: "utf8" }).trim().split("\n").pop();
  const child = spawn("npx", ["-y", `./${tarball}`], {
    cwd: dir,
    env: { ...process.env, BAND_API_KEY: "band_a_packsmoke0000", BAND_LIVE: "false", npm_config_yes: "true" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const answered = new Promise((resolvePromise, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes('"serverInfo"')) resolvePromise(out);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code} before answering`)));
    setTimeout(() => reject(new Error("no initialize answer within 120 s")), 120_000).unref();
  });
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "pack-smoke", version: "1" } } }) + "\n");
  await answered;
  child.stdin.end();
  await new Promise((r) => child.on("exit", r));
  console.log("pack smoke: npx -y <tarball> started and answered initialize");
} catch (error) {
  console.error(`pack smoke failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
