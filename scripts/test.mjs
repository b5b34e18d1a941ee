// `npm test`: the build, then the suite (`vitest run`, with whatever arguments `npm test -- …` was given, e.g.
// reporters) side by side with the typecheck and the lint. The suite needs only the build (its end-to-end tests
// spawn dist/cli.js), which takes a couple of seconds; the typecheck and the lint take 10–15 s of CPU each, and
// the suite, which mostly waits on spawned servers and timers, leaves a core idle for much longer than that. They
// run at the lowest CPU priority so they use that idle time without slowing the suite's timing-sensitive tests;
// their output is printed after the suite's, and any of the three failing fails `npm test`.
import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const LOWEST_PRIORITY = 19;

/** Runs `npm run <script> --silent`; resolves with whether it passed and what it printed, kept until it ends. */
function runScript(script, { background = false } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ["run", script, "--silent"], { stdio: ["ignore", "pipe", "pipe"] });
    // Set before npm (a Node process that takes a while to start) spawns the tool itself, which inherits it.
    if (background && child.pid !== undefined) setPriority(child.pid, LOWEST_PRIORITY);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => (output += `${error.message}\n`));
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      resolve({ passed: code === 0, report: `${output}${code === 0 ? "✓" : "✗"} npm run ${script} (${seconds} s)\n` });
    });
  });
}

const build = await runScript("build");
process.stdout.write(build.report);
if (!build.passed) process.exit(1);

const checks = Promise.all(["typecheck", "lint"].map((script) => runScript(script, { background: true })));
const vitestBin = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const vitest = spawn(process.execPath, [vitestBin, "run", ...process.argv.slice(2)], { stdio: "inherit" });
const suitePassed = await new Promise((resolve) => vitest.on("close", (code) => resolve(code === 0)));
const checked = await checks;
for (const { report } of checked) process.stdout.write(report);
process.exit(suitePassed && checked.every(({ passed }) => passed) ? 0 : 1);
