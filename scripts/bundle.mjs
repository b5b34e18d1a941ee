// `npm run build`: bundles the server (src/cli.ts), and everything it imports (dependencies included), straight
// from the TypeScript sources into dist/cli-main.js and a few chunks beside it (dist/cli-*.js), started by a small
// dist/cli.js (bundle/cli.mjs); likewise the sandbox (dist/sandbox/main.js), which the server imports only for
// `sandbox`/`--sandbox`, by a path esbuild leaves alone, so the plain server never reads it; and HTTP mode's
// metrics (dist/http/metrics.js, prom-client), loaded the same way. The web chat's files are copied as they are.
// Why bundle: on Node 20 most of a cold start is resolving, reading and compiling several hundred ESM and CommonJS
// files one by one; a single file starts in about half the time (`npm run bench`, cold start → tools/list).
// Types are checked by `npm run typecheck` (tsc over src, tests and scripts), not here: esbuild only strips them,
// in about a second, where tsc's emit took 10–20 s of every build and its output went unused but for this.
// Why chunks: what only some commands need (HTTP mode and the hub, doctor, watch) is imported with import() where
// the command is chosen, so the stdio server never reads or compiles it. Every module lands in exactly one file,
// so a class shared by two chunks (ConfigError, BandApiError) is one class and instanceof holds. The chunks sit
// beside cli.js, not in a folder, because modules find files relative to themselves (../package.json, ./cli.js).
import { cpSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
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

// What the MCP SDK imports for work this server never asks of it: ajv (about 280 KB with its formats) checks answers
// to elicitation; zod 3 and zod-to-json-schema (about 160 KB) serve zod 3 schemas, and every schema here is zod 4.
// Each is bundled on its own beside cli.js (dist/cli-<name>.cjs) and reached through a stand-in (bundle/<name>.mjs)
// that loads it on first use, so a start neither compiles nor runs it.
const LAZY = [
  { name: "ajv", imports: ["../validation/ajv-provider.js"], real: 'module.exports = require("@modelcontextprotocol/sdk/validation/ajv");' },
  {
    name: "zod3",
    imports: ["zod/v3", "zod-to-json-schema"],
    real: 'module.exports = { object: require("zod/v3").object, zodToJsonSchema: require("zod-to-json-schema").zodToJsonSchema };',
  },
];
const sdkImportsLazily = {
  name: "sdk-imports-lazily",
  setup(plugin) {
    for (const { name, imports } of LAZY) {
      const filter = new RegExp(`^(${imports.map((path) => path.replace(/[.\\/]/g, "\\$&")).join("|")})$`);
      plugin.onResolve({ filter }, (args) => (/[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/]/.test(args.resolveDir) ? { path: join(import.meta.dirname, `bundle/${name}.mjs`) } : undefined));
    }
  },
};

// undici's HTTP parser in WebAssembly, built with and without SIMD (140 KB of base64 together), which undici
// requires on its first request: each is a file of its own beside cli.js, so a start reads only the one it uses.
const LLHTTP = ["llhttp-wasm", "llhttp_simd-wasm"];
const llhttpBeside = {
  name: "llhttp-beside",
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\.\/llhttp\/llhttp(_simd)?-wasm\.js$/ }, (args) =>
      /[\\/]undici[\\/]lib[\\/]dispatcher$/.test(args.resolveDir) ? { path: `./cli-${basename(args.path, ".js")}.cjs`, external: true } : undefined,
    );
  },
};

// Files of an earlier build (chunks with other hashes) must not ship.
rmSync("dist", { recursive: true, force: true });
await bundle({ in: "src/cli.ts", out: "cli-main" }, { splitting: true, outdir: "dist", chunkNames: "cli-[name]-[hash]" }, [sdkImportsLazily, llhttpBeside]);
// The bin enables Node's compile cache before it imports the server: see bundle/cli.mjs.
cpSync(join(import.meta.dirname, "bundle/cli.mjs"), "dist/cli.js");
for (const name of LLHTTP) cpSync(`node_modules/undici/lib/llhttp/${name}.js`, `dist/cli-${name}.cjs`);
for (const { name, real } of LAZY) {
  await build({
    stdin: { contents: real, resolveDir: "." },
    outfile: `dist/cli-${name}.cjs`,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    legalComments: "none",
    logLevel: "warning",
  });
}
for (const entry of ["sandbox/main", "http/metrics"]) await bundle(`src/${entry}.ts`, { outfile: `dist/${entry}.js` });
cpSync("src/sandbox/web", "dist/sandbox/web", { recursive: true });

async function bundle(entry, output, plugins = []) {
  await build({
    entryPoints: [entry],
    ...output,
    allowOverwrite: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // CommonJS dependencies call require(), which an ES module does not have: give the bundle one.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    // Loaded only when traces or metrics are on (src/telemetry/telemetry.ts), from node_modules: a plain start never parses it.
    external: ["@opentelemetry/*"],
    plugins: [zodEnglishOnly, ...plugins],
    legalComments: "none",
    logLevel: "warning",
  });
}
