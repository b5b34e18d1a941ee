#!/usr/bin/env node
// dist/cli.js, the bin (scripts/bundle.mjs writes it over tsc's output): the server itself is dist/cli-main.js.
// Node 22.1 and later keep the code they compile for it on disk (NODE_COMPILE_CACHE, else the OS temp folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off) and reuse it at the next start: about a tenth less CPU per cold
// start. Node 20 has no such cache and starts as before.
import module from "node:module";

module.enableCompileCache?.();
await import("./cli-main.js");
