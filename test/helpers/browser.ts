/** Debian's chromium, headless, driven by playwright-core: for the web chat's browser tests. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Waits for the page to catch up; generous, because a shared 2-core machine can be slow to render. */
export const PATIENCE = { timeout: 10_000 };

export const browserAvailable = existsSync(CHROMIUM);
// .ci/run installs chromium and sets this: there, a missing browser is a failure, not a skip.
if (!browserAvailable && process.env.REQUIRE_BROWSER_TESTS) throw new Error(`REQUIRE_BROWSER_TESTS is set but there is no browser at ${CHROMIUM}`);
if (!browserAvailable) console.warn(`browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/** A fresh profile every run; `close` ends the browser and removes the profile. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "band-chromium-"));
  // playwright takes the user data dir here rather than as a flag.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30_000 });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
