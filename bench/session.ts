import { FakeBandProcess } from "./fake-band.js";
import { now } from "./protocol.js";
import { bandEnv, spawnServer, type Spawned } from "./server.js";

export interface Session {
  fake: FakeBandProcess;
  server: Spawned;
  /** When the server process was spawned (runner clock). */
  spawnedAt: number;
}

/**
 * A fresh fake Band (prepared by `setup` before the server exists) and a fresh server process against it (`cli`,
 * else the build under test); both are gone when `body` ends, whatever happens.
 */
export async function withSession<T>(options: { env?: Record<string, string>; setup?: (fake: FakeBandProcess) => Promise<void>; cli?: string }, body: (session: Session) => Promise<T>): Promise<T> {
  const fake = await FakeBandProcess.start();
  let server: Spawned | undefined;
  try {
    await options.setup?.(fake);
    const spawnedAt = now();
    server = await spawnServer({ env: bandEnv(fake.world, options.env), ...(options.cli ? { cli: options.cli } : {}) });
    return await body({ fake, server, spawnedAt });
  } catch (error) {
    if (server) process.stderr.write(`server stderr (tail):\n${server.stderrTail()}\n`);
    throw error;
  } finally {
    await server?.close().catch(() => undefined);
    await fake.close();
  }
}

/**
 * fake clock − runner clock, from the IPC round trip with the smallest delay (NTP's estimate): both use
 * performance.timeOrigin + now(), which can still differ by a fraction of a millisecond between processes.
 */
export async function clockOffset(fake: FakeBandProcess, rounds = 50): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < rounds; i++) {
    const sent = now();
    const theirs = await fake.send("clock", {});
    const back = now();
    if (back - sent < best.rtt) best = { rtt: back - sent, offset: theirs - (sent + back) / 2 };
  }
  return best.offset;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
