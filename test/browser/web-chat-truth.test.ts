/**
 * The web chat tells the truth, in a real browser against an in-process sandbox: the agent shows offline when
 * nothing is connected as it, markdown renders (safely), and a sandbox that stops and comes back (same port,
 * same BAND_SANDBOX_DIR) is picked up again without a reload, its world intact.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/main.js";
import { browserAvailable, launchBrowser, PATIENCE } from "../helpers/browser.js";

describe.skipIf(!browserAvailable)("the web chat's truth in headless chromium", () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let sandbox: Sandbox | undefined;
  const dir = mkdtempSync(join(tmpdir(), "band-world-"));

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the agent offline, renders markdown, and picks the sandbox up again after a restart", async () => {
    sandbox = await startSandbox({ port: 0, dir });
    const port = Number(new URL(sandbox.url).port);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`${sandbox.chatUrl}?as=grace`);
    await page.getByLabel("Room", { exact: true }).selectOption({ label: "Team room" });
    await expect.poll(() => page.locator("#connection").textContent(), PATIENCE).toBe("Live");
    // No server is connected as the agent: the page says so rather than promising a reply.
    await expect.poll(() => page.locator("#presence").textContent(), PATIENCE).toMatch(/^Assistant \(@ada\/assistant\) is offline: no MCP server is connected/);

    const box = page.getByLabel("Message", { exact: true });
    await box.fill("@ada/assistant **plan** <b>not bold</b>");
    await box.press("Enter");
    const content = page.locator(".message .content").last();
    await expect.poll(() => content.locator("strong").textContent(), PATIENCE).toBe("plan");
    expect(await content.locator("b").count()).toBe(0);
    expect(await content.textContent()).toBe("@ada/assistant plan <b>not bold</b>");
    expect(await content.locator(".mention").textContent()).toBe("@ada/assistant");

    // The sandbox goes away (its host closed it): the page says so, and a send says nothing was sent.
    await sandbox.close();
    sandbox = undefined;
    await expect.poll(() => page.locator("#connection").textContent(), PATIENCE).toMatch(/^Reconnecting/);
    await box.fill("@ada/assistant are you there?");
    await box.press("Enter");
    await expect.poll(() => page.locator("#compose-error").textContent(), PATIENCE).toMatch(/^The sandbox is not answering \(stopped or restarting\): nothing was sent/);
    expect(await box.inputValue()).toBe("@ada/assistant are you there?");

    // Back on the same port with the same folder: live again, the history still there, sending works.
    sandbox = await startSandbox({ port, dir });
    await expect.poll(() => page.locator("#connection").textContent(), { timeout: 20_000 }).toBe("Live");
    await box.press("Enter");
    await expect.poll(() => page.locator(".message .content").allTextContents(), PATIENCE).toEqual([
      "@ada/assistant plan <b>not bold</b>",
      "@ada/assistant are you there?",
    ]);
    expect(await page.locator("#notice").isHidden()).toBe(true);
    // Only the expected failures while the sandbox was down; no 404 (the favicon is served).
    expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource: net::/.test(e))).toEqual([]);
  }, 90_000);
});
