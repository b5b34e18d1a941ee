// @ts-check
/**
 * Which part of src/ may import which (run by `npm run lint`, so by `npm test`). The layers, lowest first: a
 * module may import its own layer and the ones below it, never one above. Shared modules at the top of src/
 * (config, log, redact, bounds, …) sit outside the layers.
 */
const LAYERS = [
  ["band"],
  ["realtime"],
  ["inbox", "channel"],
  ["agent"],
  ["tools"],
  ["mcp", "hub"],
  ["http"],
];

const folders = (names) => `^src/(${names.join("|")})/`;

/** One rule per layer: nothing in it imports anything above it. */
const layerRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `${layer.join("-")}-imports-upward`,
  comment: `${layer.join(", ")} must not import ${LAYERS.slice(index + 1).flat().join(", ")}: lower layers return facts; only the layers above word them for a model or an HTTP caller.`,
  severity: "error",
  from: { path: folders(layer) },
  to: { path: folders(LAYERS.slice(index + 1).flat()) },
}));

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "adapters-apart",
      comment: "mcp/ and hub/ are two front ends over the same layers below; neither imports the other (http/ joins them).",
      severity: "error",
      from: { path: "^src/(mcp|hub)/" },
      to: { path: "^src/(mcp|hub)/", pathNot: "^src/$1/" },
    },
    {
      name: "sandbox-sealed",
      comment: "The sandbox is a local Band, not part of the product: it may use realtime's topic names and band's generated types, never the live core or the front ends.",
      severity: "error",
      from: { path: "^src/sandbox/" },
      to: { path: "^src/(inbox|channel|agent|tools|mcp|hub|http|watch)/" },
    },
    {
      name: "no-circular",
      comment: "An import cycle (type-only imports count: they tie the modules together just the same).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "nothing-imports-the-cli",
      comment: "cli.ts is the entry point and the only module that exits.",
      severity: "error",
      from: {},
      to: { path: "^src/cli\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/band/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    cache: false,
  },
};
