import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { ALL_TOOLS } from "../../src/tools/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeBand, type FakeBand } from "../fake-band/index.js";
import { connectInMemory, type Connected } from "../helpers/harness.js";

/**
 * Every tool's contract as an MCP client receives it from tools/list (name, title, description, annotations,
 * input and output JSON Schema), one committed file per tool. A change a host or a model would notice must be
 * seen in review: this fails until the snapshot is updated on purpose.
 */
const SNAPS = join(import.meta.dirname, "../toolsnaps");
const UPDATE = process.env.UPDATE_TOOLSNAPS === "1";
const HOW = "If the change is intended, review it and run: UPDATE_TOOLSNAPS=1 npx vitest run test/integration/toolsnaps.test.ts";

let fake: FakeBand;
let conn: Connected;
let tools: Tool[];

beforeAll(async () => {
  fake = await startFakeBand();
  conn = await connectInMemory(fake, { BAND_USER_KEY: fake.user.key, BAND_LIVE: "true" });
  tools = (await conn.client.listTools()).tools;
});

afterAll(async () => {
  await conn?.close();
  await fake?.close();
});

const fileOf = (name: string) => join(SNAPS, `${name}.json`);
const snapshotOf = (tool: Tool) => `${JSON.stringify(tool, null, 2)}\n`;

describe("tool schema snapshots", () => {
  it("lists every tool (all toolsets, agent and user key, live inbox)", () => {
    expect(tools.map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
  });

  it("matches the committed snapshot of each tool", () => {
    if (UPDATE) mkdirSync(SNAPS, { recursive: true });
    for (const tool of tools) {
      const file = fileOf(tool.name);
      if (UPDATE) writeFileSync(file, snapshotOf(tool));
      if (!existsSync(file)) {
        expect.soft(tool.name, `${tool.name} has no snapshot (test/toolsnaps/${tool.name}.json). ${HOW}`).toBe("a committed snapshot");
        continue;
      }
      // Expected is the committed snapshot, received is what tools/list says now.
      expect.soft(JSON.parse(snapshotOf(tool)), `${tool.name}'s contract changed. ${HOW}`).toEqual(JSON.parse(readFileSync(file, "utf8")));
    }
  });

  it("keeps no snapshot of a tool that is gone", () => {
    const listed = new Set(tools.map((t) => `${t.name}.json`));
    const stale = readdirSync(SNAPS).filter((f) => !listed.has(f));
    if (UPDATE) for (const f of stale) rmSync(join(SNAPS, f));
    else expect(stale, `snapshots of tools no longer listed. ${HOW}`).toEqual([]);
  });
});
