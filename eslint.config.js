// @ts-check
import eslint from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * Code lint for `npm test` (syntax-only rules: no type information, so it stays fast). Which folder may import
 * which is checked by dependency-cruiser (.dependency-cruiser.cjs), not here.
 */
export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src/band/generated/", "src/sandbox/web/"] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // Escaping control characters (log lines, ids from Band, settings) is something this code does on purpose.
      "no-control-regex": "off",
      // A leading underscore names what is left out on purpose (a destructured field dropped from a copy).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read JSON off the wire and poke at it; typing every such body would add nothing a failing assertion doesn't.
    files: ["test/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
