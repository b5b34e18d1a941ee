// Bundles dist/cli.js, and everything it imports (dependencies included), into dist/cli.js itself.
// Why: on Node 20 most of a cold start is resolving, reading and compiling several hundred ESM and CommonJS
// files one by one; a single file starts in about half the time (`npm run bench`, cold start → tools/list).
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli.js"],
  outfile: "dist/cli.js",
  allowOverwrite: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies call require(), which an ES module does not have: give the bundle one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
});
