/**
 * The sandbox's web chat in a real browser (Debian's chromium, headless, driven by playwright-core) against
 * `band-mcp-server --sandbox` over stdio with the SDK's client: what a person types in the page reaches the
 * MCP client, and the client's reply, the message's state and the working indicator come back to the page.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser, PATIENCE } from "../helpers/browser.js";
import { waitFor } from "../helpers/harness.js";
import { spawnSandboxServer, type SandboxSession } from "../helpers/sandbox.js";

/** Kept after the run (gitignored), for a person to look at. */
const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts");

describe.skipIf(!browserAvailable)("the sandbox's web chat in headless chromium", () => {
  let session: SandboxSession;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;

  beforeAll(async () => {
    session = await spawnSandboxServer();
    browser = await launchBrowser();
    context = browser.context;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await session?.client.close();
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

  it("Band's controls: Stop for every room, then for this room, reaches the connected server (band_status says what is paused), Play resumes; the page shows it", async () => {
    const { client, chatUrl } = session;
    const page = await context.newPage();
    await page.goto(`${chatUrl}?as=grace`);
    await page.getByLabel("Room", { exact: true }).selectOption({ label: "Team room" });
    await expect.poll(() => page.locator("#connection").textContent(), PATIENCE).toBe("Live");
    const controls = page.getByRole("group", { name: "Band's controls for Assistant (@ada/assistant)" });
    await controls.getByLabel("for", { exact: true }).selectOption({ label: "every room" });
    const detail = async () => ((await client.callTool({ name: "band_status", arguments: {} })).structuredContent as { detail?: string }).detail ?? "";
    expect(await detail()).not.toMatch(/paused/);

    await controls.getByRole("button", { name: "Stop" }).click();
    await expect.poll(detail, PATIENCE).toMatch(/delivery paused by Band \(agent\.control stop\) until it says play/);
    await expect.poll(() => page.locator("#paused").textContent(), PATIENCE).toBe("Assistant is stopped in every room: nothing is handed to it until Play.");

    await controls.getByRole("button", { name: "Play" }).click();
    await expect.poll(detail, PATIENCE).not.toMatch(/paused/);
    await expect.poll(() => page.locator("#paused").textContent(), PATIENCE).toBe("");

    // This room only: Band's payload is {scope: "agent", room_id}, and the server holds just that chat.
    const team = new URL(page.url()).searchParams.get("room")!;
    await controls.getByLabel("for", { exact: true }).selectOption({ label: "this room" });
    await controls.getByRole("button", { name: "Stop" }).click();
    await expect.poll(detail, PATIENCE).toBe(`delivery in chat ${team} paused by Band (agent.control stop)`);
    await expect.poll(() => page.locator("#paused").textContent(), PATIENCE).toBe("Assistant is stopped in this room: nothing from here is handed to it until Play.");
    await controls.getByRole("button", { name: "Play" }).click();
    await expect.poll(detail, PATIENCE).not.toMatch(/paused/);
    await expect.poll(() => page.locator("#paused").textContent(), PATIENCE).toBe("");
  }, 60_000);
});
