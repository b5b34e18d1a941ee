// `npm test`: the build, the typecheck and the lint side by side, then the suite (`vitest run`, with whatever
// arguments `npm test -- …` was given, e.g. reporters). Each of the three is one CPU-bound process of 10–15 s;
// one after another they left a core idle on a 2-core machine. The suite starts only once all three passed, as
// before, so it never runs against a stale build or with a type or layer error unreported.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs `npm run <script> --silent`, its output kept until it ends so that the three never interleave. */
function runScript(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ["run", script, "--silent"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => (output += `${error.message}\n`));
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(output);
      console.log(`${code === 0 ? "✓" : "✗"} npm run ${script} (${seconds} s)`);
      resolve(code === 0);
    });
  });
}

const passed = await Promise.all(["build", "typecheck", "lint"].map(runScript));
if (passed.includes(false)) process.exit(1);

const vitestBin = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const vitest = spawn(process.execPath, [vitestBin, "run", ...process.argv.slice(2)], { stdio: "inherit" });
vitest.on("close", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
