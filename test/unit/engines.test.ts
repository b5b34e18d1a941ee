import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { expect, it } from "vitest";

/**
 * The package promises `engines.node` (>= 20.19): every package `npm ci` installs, runtime or dev, must accept the
 * oldest Node that promise allows, or npm warns EBADENGINE there and the package may not run. Read from the lockfile,
 * which records each package's engines, so this holds for every install, not only the machine running the test.
 */
const root = join(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; engines?: unknown }> };

it("every locked package runs on the oldest Node the package supports (no EBADENGINE warning)", () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;
  const refusing = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== "" && typeof (entry.engines as { node?: unknown } | undefined)?.node === "string")
    .filter(([, entry]) => !semver.satisfies(oldest, (entry.engines as { node: string }).node))
    .map(([path, entry]) => `${path}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);
  expect(refusing).toEqual([]);
});
