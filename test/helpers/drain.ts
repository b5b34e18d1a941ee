import type { Client } from "@modelcontextprotocol/sdk/client/index.js";

/** Waits and marks until a wait comes back empty; every id handed out, in order. */
export async function drain(client: Client): Promise<string[]> {
  const got: string[] = [];
  for (;;) {
    const result = await client.callTool({ name: "band_wait_for_message", arguments: { timeout_seconds: 1.5, max_messages: 50 } });
    const { messages, timed_out } = result.structuredContent as { messages: { id: string; chat_id: string }[]; timed_out: boolean };
    if (timed_out) return got;
    for (const m of messages) {
      got.push(m.id);
      await client.callTool({ name: "band_mark_processed", arguments: { chat_id: m.chat_id, message_id: m.id } });
    }
  }
}
