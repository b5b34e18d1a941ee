import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { addAgentInRoom, fakeBandEnv } from "../helpers/fake-env.js";
import { waitFor } from "../helpers/harness.js";
import { spawnHttpServer, type RunningServer } from "../helpers/http-server.js";

/**
 * The watch endpoints' folder is tidied once per process, not once per agent: a hub restarted after a crash
 * finds every agent's old socket file there, and a sweep per agent made that quadratic.
 */
const runtime = mkdtempSync(join(tmpdir(), "band-sweep-"));
const folder = join(runtime, "band-mcp-server");
const decoys: Server[] = [];
const probes = new Map<string, number>();
let fake: FakeBand;
let hub: RunningServer;

afterAll(async () => {
  if (hub?.child.exitCode === null) hub.child.kill("SIGKILL");
  await fake?.close();
  for (const d of decoys) d.close();
  rmSync(runtime, { recursive: true, force: true });
});

describe("band-mcp-server watch endpoints in a hub", () => {
  it("are swept once per process: each old endpoint is probed once, whatever the number of agents", async () => {
    mkdirSync(folder, { mode: 0o700 });
    // Old files of a live process (they answer, so they stay): each counts the probes it gets.
    for (const name of ["inbox-0a0a0a0a.sock", "inbox-0b0b0b0b.sock", "inbox-0c0c0c0c.sock"]) {
      const path = join(folder, name);
      const server = createServer((socket) => {
        probes.set(name, (probes.get(name) ?? 0) + 1);
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(path, resolve));
      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(path, old, old);
      decoys.push(server);
    }
    fake = await startFakeBand();
    const others = [1, 2, 3].map((i) => addAgentInRoom(fake, `Agent ${i}`, `alice/agent${i}`));
    hub = await spawnHttpServer(
      fakeBandEnv(fake, { XDG_RUNTIME_DIR: runtime, BAND_API_KEY: fake.agent.key, ...Object.fromEntries(others.map((a, i) => [`BAND_API_KEY_A${i + 1}`, a.key])) }),
    );
    // Every agent published its own endpoint: four new files beside the three old ones.
    await waitFor(() => readdirSync(folder).length === 7, "every agent's endpoint published", 15_000);
    await waitFor(() => probes.size === 3, "the old endpoints probed", 10_000);
    // Time for any further sweep (one per agent, before) to reach them.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(Object.fromEntries(probes)).toEqual({ "inbox-0a0a0a0a.sock": 1, "inbox-0b0b0b0b.sock": 1, "inbox-0c0c0c0c.sock": 1 });
  });
});
