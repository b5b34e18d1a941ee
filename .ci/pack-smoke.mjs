// `npm pack`, then from an empty folder: `npx -y ./band-mcp-server-*.tgz` must start the server and answer
// initialize, and `npx -y ./band-mcp-server-*.tgz --sandbox` (no key) must too, with its web chat served.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "band-pack-"));

/** Runs the tarball's bin with `args`, sends initialize, and resolves with its stderr once it answers. */
async function startsAndAnswers(tarball, args, env, check = async () => undefined) {
  const child = spawn("npx", ["-y", `./${tarball}`, ...args], { cwd: dir, env: { ...env, npm_config_yes: "true" }, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
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
  try {
    await answered;
    await check(stderr);
  } finally {
    child.stdin.end();
    await new Promise((r) => (child.exitCode === null ? child.on("exit", r) : r()));
  }
}

try {
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root, encoding: "utf8" }).trim().split("\n").pop();
  // No Band to reach (a closed port): first contact must not hold the start.
  await startsAndAnswers(tarball, [], { ...process.env, BAND_API_KEY: "band_a_packsmoke0000", BAND_LIVE: "false", BAND_BASE_URL: "http://127.0.0.1:9" });
  console.log("pack smoke: npx -y <tarball> started and answered initialize");

  const { BAND_API_KEY: _key, BAND_USER_KEY: _user, ...keyless } = process.env;
  await startsAndAnswers(tarball, ["--sandbox", "--port", "0"], { ...keyless, BAND_SANDBOX_DIR: join(dir, "sandbox") }, async (stderr) => {
    const chat = /sandbox chat at (\S+)/.exec(stderr)?.[1];
    if (!chat) throw new Error("--sandbox printed no chat address on stderr");
    const page = await fetch(chat);
    const html = await page.text();
    if (page.status !== 200 || !html.includes("Band sandbox")) throw new Error(`the web chat at ${chat} answered ${page.status}`);
  });
  console.log("pack smoke: npx -y <tarball> --sandbox started without a key, answered initialize and served the web chat");
} catch (error) {
  console.error(`pack smoke failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
