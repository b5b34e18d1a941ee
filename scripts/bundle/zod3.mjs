// Stands in for zod 3 and zod-to-json-schema where the MCP SDK imports them (scripts/bundle.mjs): the SDK reaches
// for them only with zod 3 schemas, and every schema here is zod 4. The real ones, bundled on their own as
// dist/cli-zod3.cjs, are loaded on first use, so a start neither compiles nor runs them.
import { createRequire } from "node:module";

const REAL = "./cli-zod3.cjs";
let real;
const load = () => (real ??= createRequire(import.meta.url)(REAL));

export const object = (...args) => load().object(...args);
export const zodToJsonSchema = (...args) => load().zodToJsonSchema(...args);
