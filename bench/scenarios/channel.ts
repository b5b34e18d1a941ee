import { z } from "zod";
import { now, STAMP_PREFIX } from "../protocol.js";
import { percentile, type Figure } from "../report.js";
import { markProcessed, pollStatus } from "../server.js";
import { clockOffset, withSession } from "../session.js";

const STAMP = new RegExp(`${STAMP_PREFIX}([0-9.]+)`);
const push = z.object({ method: z.literal("notifications/claude/channel"), params: z.object({ content: z.string(), meta: z.record(z.string(), z.string()) }) });

/**
 * push → channel notification in channel mode (BAND_CHANNEL=true): the fake stamps its clock into the content
 * as it pushes on the socket; the runner reads the stamp when notifications/claude/channel arrives, then
 * acknowledges the message as a model would (band_mark_processed) before the next sample.
 */
export async function channelLatency(samples: number, warmup = 50): Promise<Figure[]> {
  return withSession({ env: { BAND_CHANNEL: "true" } }, async ({ fake, server }) => {
    const { client } = server;
    let next: ((params: z.infer<typeof push>["params"]) => void) | undefined;
    client.setNotificationHandler(push, (notification) => next?.(notification.params));
    await pollStatus(client, (s) => s.connection === "connected" && s.chats_joined >= 1, "connected");
    const offset = await clockOffset(fake);
    const latencies: number[] = [];
    for (let i = 0; i < warmup + samples; i++) {
      // Stamped as it arrives: the fake's answer to the post may come after the push.
      const arrived = new Promise<{ params: z.infer<typeof push>["params"]; receivedAt: number }>((resolve) => (next = (params) => resolve({ params, receivedAt: now() })));
      await fake.send("postStamped", { roomId: fake.world.roomId });
      const { params, receivedAt } = await arrived;
      const stamp = STAMP.exec(params.content);
      if (!stamp) throw new Error(`channel sample ${i}: expected a stamped push, got ${JSON.stringify(params)}`);
      if (i >= warmup) latencies.push(receivedAt - (Number(stamp[1]) - offset));
      await markProcessed(client, { id: params.meta.message_id!, chat_id: params.meta.chat_id!, content: params.content });
    }
    latencies.sort((a, b) => a - b);
    const note = `${samples} samples after ${warmup} warm-up, clock offset ${offset.toFixed(3)} ms corrected`;
    return [
      { key: "channel_latency_p50_ms", label: "push→channel notification p50", value: percentile(latencies, 50), unit: "ms", target: { op: "<", value: 1 }, note },
      { key: "channel_latency_p99_ms", label: "push→channel notification p99", value: percentile(latencies, 99), unit: "ms", target: { op: "<", value: 5 } },
    ];
  });
}
