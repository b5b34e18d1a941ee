// Regenerates each command's help in docs/settings.md from the settings table. The tests check for drift.
import { readFileSync, writeFileSync } from "node:fs";
import { withCommandHelp } from "./settings-help.js";

const path = new URL("../docs/settings.md", import.meta.url);
writeFileSync(path, withCommandHelp(readFileSync(path, "utf8")));
