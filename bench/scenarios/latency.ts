import { STAMP_PREFIX } from "../protocol.js";
import { percentile, type Figure } from "../report.js";
import { delivered, markProcessed, pollStatus, rssMb, status, waitForMessages } from "../server.js";
import { clockOffset, sleep, withSession } from "../session.js";

const STAMP = new RegExp(`${STAMP_PREFIX}([0-9.]+)`);

/**
 * push → delivery with a waiter already blocked: the fake stamps its clock into the content as it pushes; the
 * runner reads the stamp when band_wait_for_message answers. Also the idle RSS, once connected and settled.
 */
export async function latency(samples: number, warmup = 50): Promise<Figure[]> {
  return withSession({}, async ({ fake, server }) => {
    const { client, pid } = server;
    await pollStatus(client, (s) => s.connection === "connected" && s.chats_joined >= 1, "connected");
    await sleep(1_000);
    const idleRss = rssMb(pid);
    const offset = await clockOffset(fake);
    const latencies: number[] = [];
    for (let i = 0; i < warmup + samples; i++) {
      const waiting = delivered(waitForMessages(client, { max: 1, timeoutSeconds: 10 }));
      // Requests are handled in order: once this answers, the wait above is registered and blocked.
      await status(client);
      await fake.send("postStamped", { roomId: fake.world.roomId });
      const { messages, receivedAt } = await waiting;
      const message = messages[0];
      const stamp = message && STAMP.exec(message.content);
      if (!message || !stamp) throw new Error(`latency sample ${i}: expected a stamped message, got ${JSON.stringify(messages)}`);
      if (i >= warmup) latencies.push(receivedAt - (Number(stamp[1]) - offset));
      await markProcessed(client, message);
    }
    latencies.sort((a, b) => a - b);
    const note = `${samples} samples after ${warmup} warm-up, clock offset ${offset.toFixed(3)} ms corrected`;
    return [
      { key: "latency_p50_ms", label: "push→delivery p50", value: percentile(latencies, 50), unit: "ms", target: { op: "<", value: 1 }, note },
      { key: "latency_p99_ms", label: "push→delivery p99", value: percentile(latencies, 99), unit: "ms", target: { op: "<", value: 5 } },
      { key: "latency_max_ms", label: "push→delivery max", value: latencies.at(-1)!, unit: "ms" },
      { key: "rss_idle_mb", label: "RSS idle (connected)", value: idleRss, unit: "MB", target: { op: "<", value: 100 } },
    ];
  });
}
