import { now } from "../protocol.js";
import type { Figure } from "../report.js";
import { pollStatus, rssMb } from "../server.js";
import { withSession } from "../session.js";

/** Unprocessed messages waiting on Band at start → all queued in the inbox; and the RSS holding them. */
export async function backlog(count: number, rooms: number): Promise<Figure[]> {
  const setup = async (fake: import("../fake-band.js").FakeBandProcess) => {
    const roomIds = [fake.world.roomId, ...(await fake.send("createRooms", { count: rooms - 1 }))];
    await fake.send("post", { roomIds, count });
  };
  return withSession({ env: { BAND_INBOX_CAPACITY: "20000" }, setup }, async ({ server, spawnedAt }) => {
    const { client, pid } = server;
    let connectedAt: number | undefined;
    const queuedAt = await pollStatus(client, (s) => {
      if (s.connection === "connected") connectedAt ??= now();
      return s.inbox.pending >= count;
    }, `${count} messages queued`);
    const elapsed = queuedAt - spawnedAt;
    return [
      { key: "backlog_drain_ms", label: `backlog drain (${count} msgs, ${rooms} rooms)`, value: elapsed, unit: "ms", target: { op: "<", value: 3_000 }, note: `spawn → all queued (band_status inbox.pending polled every 10 ms); socket connected after ${Math.round((connectedAt ?? queuedAt) - spawnedAt)} ms` },
      { key: "rss_queued_mb", label: `RSS with ${count} queued`, value: rssMb(pid), unit: "MB", target: { op: "<", value: 150 } },
    ];
  });
}
