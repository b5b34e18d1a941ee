// Stands in for the MCP SDK's validation/ajv-provider.js in the server's bundle (scripts/bundle.mjs). The SDK's
// Server imports ajv (about 280 KB with its formats) and builds an Ajv instance for every server object, only to
// check answers to elicitation, which this server never asks for. Here the real provider, bundled on its own as
// dist/cli-ajv.cjs, is loaded and built on first use, so a start neither reads nor runs it.
import { createRequire } from "node:module";

const REAL = "./cli-ajv.cjs";

export class AjvJsonSchemaValidator {
  #ajv;
  #real;

  constructor(ajv) {
    this.#ajv = ajv;
  }

  getValidator(schema) {
    if (!this.#real) {
      const { AjvJsonSchemaValidator: Real } = createRequire(import.meta.url)(REAL);
      this.#real = new Real(this.#ajv);
    }
    return this.#real.getValidator(schema);
  }
}
