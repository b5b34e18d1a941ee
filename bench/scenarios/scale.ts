import type { Figure } from "../report.js";
import { pollStatus, rssMb } from "../server.js";
import { withSession } from "../session.js";

/** Many rooms at start: spawn → connected with every room joined (and drained), and the RSS then. */
export async function scale(rooms: number): Promise<Figure[]> {
  const setup = async (fake: import("../fake-band.js").FakeBandProcess) => void (await fake.send("createRooms", { count: rooms - 1 }));
  return withSession({ setup }, async ({ server, spawnedAt }) => {
    const joinedAt = await pollStatus(server.client, (s) => s.connection === "connected" && s.chats_joined >= rooms, `${rooms} rooms joined`, 60_000, 20);
    return [
      { key: "scale_connected_ms", label: `scale: ${rooms} rooms → connected, all joined`, value: joinedAt - spawnedAt, unit: "ms", note: "spawn → band_status connected with chats_joined = rooms" },
      { key: "scale_rss_mb", label: `RSS with ${rooms} rooms joined`, value: rssMb(server.pid), unit: "MB" },
    ];
  });
}
