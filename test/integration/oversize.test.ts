import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INBOX_CONTENT_CHARS, MAX_LINE_BYTES, READ_CONTENT_CHARS } from "../../src/bounds.js";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { call, connectInMemory, waitFor, type Connected } from "../helpers/harness.js";

/** Issue 9 item 4 / guarantee 9: what Band sends is bounded before it reaches the model. */

let fake: FakeBand;
const open: Connected[] = [];

beforeEach(async () => {
  fake = await startFakeBand();
});

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await fake.close();
});

async function connect(env: Record<string, string> = {}): Promise<Connected> {
  const c = await connectInMemory(fake, env);
  open.push(c);
  return c;
}

/** What the JSON-RPC line of a tools/call answer would weigh: both copies of the result, as the SDK writes them. */
async function lineBytes(c: Connected, name: string, args: Record<string, unknown>): Promise<{ bytes: number; result: Record<string, any> }> {
  const result = (await c.client.callTool({ name, arguments: args })) as Record<string, any>;
  return { bytes: Buffer.byteLength(JSON.stringify({ jsonrpc: "2.0", id: 1, result })), result };
}

const post = (content: string) => fake.postMessage(fake.room.id, { senderId: fake.user.id, content, mentions: [fake.agent.id] });

describe("content from Band is bounded", () => {
  it("cuts a 5 MB message in a wait, saying how to read the rest; the reading tools show more", async () => {
    const c = await connect({ BAND_LIVE: "true" });
    await waitFor(async () => (await c.app.status()).chats_joined >= 1, "joined");
    const sent = post(`"quoted" ${"long text ".repeat(500_000)}`);
    const waited = await call(c.client, "band_wait_for_message", { timeout_seconds: 5 });
    const [message] = waited.structured!.messages as { id: string; content: string }[];
    expect(message!.id).toBe(sent.id);
    expect(message!.content.length).toBeLessThan(INBOX_CONTENT_CHARS + 300);
    expect(message!.content).toMatch(/\[… cut by band-mcp-server: \d+ more characters\. Read the whole message with band_get_context or band_list_messages \(chat_id [^)]+\)\.\]$/);

    const context = await call(c.client, "band_get_context", { chat_id: fake.room.id });
    const read = (context.structured!.items as { id: string; content: string }[]).find((m) => m.id === sent.id)!;
    expect(read.content.length).toBeGreaterThan(INBOX_CONTENT_CHARS);
    expect(read.content.length).toBeLessThan(READ_CONTENT_CHARS + 300);
    expect(read.content).toMatch(/open the chat on Band to read the rest\.\]$/);
  });

  it("keeps a whole result inside one JSON-RPC line, every item kept, even when its text escapes badly", async () => {
    const c = await connect();
    // A control character costs 6 bytes in JSON and 7 more in the text copy: 4 × 250,000 of them is 13 MB.
    const ids = Array.from({ length: 4 }, () => post("\u0001".repeat(250_000)).id);
    const { bytes, result } = await lineBytes(c, "band_list_messages", { chat_id: fake.room.id, limit: 4 });
    expect(result.isError).toBeFalsy();
    expect(bytes).toBeLessThanOrEqual(MAX_LINE_BYTES + 1024);
    expect((result.structuredContent.items as { id: string }[]).map((m) => m.id)).toEqual(ids);
    expect(result.structuredContent.items[0].content).toMatch(/The result was too large to send whole/);
  });

  it("stops at the REST body cap with a clear error instead of reading a huge page", async () => {
    const c = await connect();
    for (let i = 0; i < 3; i++) post("x".repeat(4 * 1024 * 1024));
    const result = await call(c.client, "band_list_messages", { chat_id: fake.room.id, limit: 3 });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/too large.*10 MB.*smaller limit/);
  });
});
