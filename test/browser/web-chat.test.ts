/**
 * The sandbox's web chat in a real browser (Debian's chromium, headless, driven by playwright-core) against
 * `band-mcp-server --sandbox` over stdio with the SDK's client: what a person types in the page reaches the
 * MCP client, and the client's reply, the message's state and the working indicator come back to the page.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/harness.js";
import { spawnSandboxServer, type SandboxSession } from "../helpers/sandbox.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Kept after the run (gitignored), for a person to look at. */
const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts");
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
const PATIENCE = { timeout: 10_000 };

const available = existsSync(CHROMIUM);
// .ci/run installs chromium and sets this: there, a missing browser is a failure, not a skip.
if (!available && process.env.REQUIRE_BROWSER_TESTS) throw new Error(`REQUIRE_BROWSER_TESTS is set but there is no browser at ${CHROMIUM}`);
if (!available) console.warn(`browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

describe.skipIf(!available)("the sandbox's web chat in headless chromium", () => {
  let session: SandboxSession;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    session = await spawnSandboxServer();
    profile = mkdtempSync(join(tmpdir(), "band-chromium-"));
    // A fresh profile every run; playwright takes the user data dir here rather than as a flag.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await session?.client.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("a person's @mention reaches the MCP client, whose reply and the processed state appear in the page", async () => {
    const { client, chatUrl } = session;
    await waitFor(async () => {
      const status = (await client.callTool({ name: "band_status", arguments: {} })).structuredContent as { connection: string; chats_joined: number };
      return status.connection === "connected" && status.chats_joined === 2;
    }, "server connected to the sandbox");

    const page = await context.newPage();
    // A tab bookmarked for another sandbox says so instead of silently showing this one.
    await page.goto(`${chatUrl}?as=grace&world=0badc0de-0000-4000-8000-000000000000`);
    await expect.poll(() => page.locator("#notice").textContent(), PATIENCE).toMatch(/^This link was made for another sandbox \(world 0badc0de\)/);
    // The address then names this sandbox's world, so a bookmark of it is recognised.
    const worldInUrl = () => /world=([0-9a-f-]{36})/.exec(page.url())?.[1];
    await expect.poll(() => worldInUrl() ?? "", PATIENCE).toMatch(/^(?!0badc0de)[0-9a-f-]{36}$/);
    const world = worldInUrl();
    await page.goto(`${chatUrl}?as=grace&world=${world}`);
    expect(await page.locator("#notice").isHidden()).toBe(true);
    await page.getByLabel("You are", { exact: true }).selectOption({ label: "Grace Hopper (@grace)" });
    await page.getByLabel("Room", { exact: true }).selectOption({ label: "Team room" });
    await expect.poll(() => page.locator("#connection").textContent(), PATIENCE).toBe("Live");
    // Every control is named for assistive technology, and the message list is a live log.
    const tree = await page.locator("body").ariaSnapshot();
    for (const control of ['combobox "You are"', 'combobox "Room"', 'log "Messages"', 'textbox "Message"', 'button "Send"']) expect(tree).toContain(control);

    // Type a mention with the keyboard: "@ad" suggests Ada and the agent; the second is picked.
    const box = page.getByLabel("Message", { exact: true });
    await box.click();
    await box.pressSequentially("@ad");
    const options = page.getByRole("listbox", { name: "People to mention" }).getByRole("option");
    await expect.poll(() => options.allTextContents(), PATIENCE).toEqual(["Ada Lovelace @ada", "Assistant @ada/assistant (agent)"]);
    await box.press("ArrowDown");
    await box.press("Enter");
    await box.pressSequentially("what is the plan?");
    expect(await box.inputValue()).toBe("@ada/assistant what is the plan?");
    await box.press("Enter");

    const waited = (await client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 20 } })).structuredContent as any;
    expect(waited.messages).toHaveLength(1);
    const asked = waited.messages[0];
    expect(asked).toMatchObject({ content: "@ada/assistant what is the plan?", sender: { handle: "grace" } });

    // Handed out means claimed: the page shows it processing, and the agent working.
    const state = page.locator(`[data-id="${asked.id}"] .state`);
    await expect.poll(() => state.textContent(), PATIENCE).toBe("@ada/assistant: processing");
    await expect.poll(() => page.locator("#working").textContent(), PATIENCE).toBe("Assistant is working…");

    await client.callTool({
      name: "band_send_message",
      arguments: { chat_id: asked.chat_id, content: "Ship the sandbox today.", mentions: ["grace"], reply_to_message_id: asked.id },
    });
    const reply = page.locator(".message.from-agent .content");
    await expect.poll(() => reply.textContent(), PATIENCE).toBe("@grace Ship the sandbox today.");
    await expect.poll(() => state.textContent(), PATIENCE).toBe("@ada/assistant: processed");
    await expect.poll(() => page.locator("#working").textContent(), PATIENCE).toBe("");

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "web-chat.png"), fullPage: true });
  }, 60_000);
});
