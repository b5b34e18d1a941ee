// Regenerates the tool table in README.md from the registry. The tests check for drift.
import { readFileSync, writeFileSync } from "node:fs";
import { withToolTable } from "./readme-tools.js";

const path = new URL("../README.md", import.meta.url);
writeFileSync(path, withToolTable(readFileSync(path, "utf8")));
