// Regenerates the tool table in docs/tools.md from the registry. The tests check for drift.
import { readFileSync, writeFileSync } from "node:fs";
import { withToolTable } from "./readme-tools.js";

const path = new URL("../docs/tools.md", import.meta.url);
writeFileSync(path, withToolTable(readFileSync(path, "utf8")));
