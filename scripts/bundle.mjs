// Bundles dist/cli.js, and everything it imports (dependencies included), into dist/cli.js itself; likewise the
// sandbox (dist/sandbox/main.js), which cli.js imports only for `sandbox`/`--sandbox`, by a path esbuild leaves
// alone, so the plain server never reads it; and HTTP mode's metrics (dist/http/metrics.js, prom-client), loaded
// the same way. The sandbox's web chat files are copied beside it as they are.
// Why bundle: on Node 20 most of a cold start is resolving, reading and compiling several hundred ESM and CommonJS
// files one by one; a single file starts in about half the time (`npm run bench`, cold start → tools/list).
import { cpSync } from "node:fs";
import { dirname } from "node:path";
import { build } from "esbuild";

// zod's `z` namespace carries every one of its locales (about 350 KB, an eighth of the bundle, compiled on every
// start); messages here are in English only, the locale zod installs itself. The locale index becomes English only.
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(plugin) {
    plugin.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
    }));
  },
};

for (const entry of ["dist/cli.js", "dist/sandbox/main.js", "dist/http/metrics.js"]) await bundle(entry);
cpSync("src/sandbox/web", "dist/sandbox/web", { recursive: true });

async function bundle(entry) {
  await build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // CommonJS dependencies call require(), which an ES module does not have: give the bundle one.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    // Loaded only when tracing is on (src/telemetry/tracing.ts), from node_modules: a plain start never parses it.
    external: ["@opentelemetry/*"],
    plugins: [zodEnglishOnly],
    legalComments: "none",
    logLevel: "warning",
  });
}
