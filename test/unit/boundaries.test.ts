import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type IConfiguration, type ICruiseResult } from "dependency-cruiser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The import rules `npm run lint` enforces, run on a small tree that breaks them on purpose: a rule that
 * cannot fail would pass any tree.
 */
const config = createRequire(import.meta.url)("../../.dependency-cruiser.cjs") as IConfiguration;

const FIXTURE: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true }, include: ["src"] }),
  "src/tools/errors.ts": "export class ToolError extends Error {}\n",
  "src/mcp/server.ts": "export interface Server { name: string }\n",
  "src/http/server.ts": "export const port = 8787;\n",
  "src/hub/rest.ts": 'import type { Server } from "../mcp/server.js";\nexport const serve = (s: Server) => s;\n',
  "src/mcp/own.ts": 'import type { Server } from "./server.js";\nexport const own = (s: Server) => s;\n',
  // Upward: a value import, and a type-only one (types tie layers together too).
  "src/band/leak.ts": 'import { ToolError } from "../tools/errors.js";\nexport const fail = () => new ToolError("x");\n',
  "src/realtime/typed.ts": 'import type { Server } from "../mcp/server.js";\nexport const nameOf = (s: Server) => s.name;\n',
  "src/tools/front.ts": 'import { port } from "../http/server.js";\nexport const where = port;\n',
  // agent/ sits below the front ends: wording a failure with a tool's error, or reaching for the hub, is upward.
  "src/agent/words.ts": 'import { ToolError } from "../tools/errors.js";\nexport const refuse = () => new ToolError("x");\n',
  "src/agent/hub.ts": 'import { port } from "../http/server.js";\nexport const at = port;\n',
  // An inbox module importing the agent's actions: agent/ is above inbox/.
  "src/inbox/acts.ts": 'import { refuse } from "../agent/words.js";\nexport const act = refuse;\n',
  // The tools calling the agent's actions: downward, allowed.
  "src/tools/send.ts": 'import { at } from "../agent/hub.js";\nexport const sendTo = at;\n',
  // Downward: allowed.
  "src/inbox/fine.ts": 'import { fail } from "../band/leak.js";\nexport const again = fail;\n',
  // A cycle whose way back is type-only.
  "src/inbox/a.ts": 'import { b } from "./b.js";\nexport interface A { n: number }\nexport const a = b + 1;\n',
  "src/inbox/b.ts": 'import type { A } from "./a.js";\nexport const b = 1;\nexport const use = (x: A) => x.n;\n',
  // The sandbox may use realtime's topic names, never a front end.
  "src/sandbox/socket.ts": 'import { port } from "../http/server.js";\nexport const where = port;\n',
  "src/realtime/topics.ts": "export const topics = {};\n",
  "src/sandbox/frames.ts": 'import { topics } from "../realtime/topics.js";\nexport const names = topics;\n',
  "src/cli.ts": "export const main = () => 0;\n",
  "src/log.ts": 'import { main } from "./cli.js";\nexport const log = main;\n',
};

let root: string;
let violations: { rule: string; from: string; to: string }[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "band-boundaries-"));
  for (const [path, text] of Object.entries(FIXTURE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const { output } = await cruise(["src"], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden }, baseDir: root, tsConfig: { fileName: join(root, "tsconfig.json") } });
  violations = (output as ICruiseResult).summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const broken = (rule: string) => violations.filter((v) => v.rule === rule).map((v) => `${v.from} -> ${v.to}`);

describe("import boundaries", () => {
  it("a lower layer importing tools, mcp, hub or http fails, type-only imports included", () => {
    expect(broken("band-imports-upward")).toEqual(["src/band/leak.ts -> src/tools/errors.ts"]);
    expect(broken("realtime-imports-upward")).toEqual(["src/realtime/typed.ts -> src/mcp/server.ts"]);
  });

  it("agent/ importing tools or http fails, and so does inbox/ importing agent/; tools importing agent/ passes", () => {
    expect(broken("agent-imports-upward")).toEqual(["src/agent/hub.ts -> src/http/server.ts", "src/agent/words.ts -> src/tools/errors.ts"]);
    expect(broken("inbox-channel-imports-upward")).toEqual(["src/inbox/acts.ts -> src/agent/words.ts"]);
    expect(violations.filter((v) => v.from === "src/tools/send.ts")).toEqual([]);
  });

  it("tools importing the HTTP front door fails", () => {
    expect(broken("tools-imports-upward")).toEqual(["src/tools/front.ts -> src/http/server.ts"]);
  });

  it("mcp and hub importing each other fails; a module of either importing its own folder passes", () => {
    expect(broken("adapters-apart")).toEqual(["src/hub/rest.ts -> src/mcp/server.ts"]);
  });

  it("an import cycle fails even when one way is type-only", () => {
    // Reported once, at the edge where the cruise first closed the loop.
    expect(broken("no-circular")).toHaveLength(1);
    expect(["src/inbox/a.ts -> src/inbox/b.ts", "src/inbox/b.ts -> src/inbox/a.ts"]).toContain(broken("no-circular")[0]);
  });

  it("importing the CLI fails", () => {
    expect(broken("nothing-imports-the-cli")).toEqual(["src/log.ts -> src/cli.ts"]);
  });

  it("the sandbox importing a front end fails; realtime's topic names are allowed", () => {
    expect(broken("sandbox-sealed")).toEqual(["src/sandbox/socket.ts -> src/http/server.ts"]);
    expect(violations.filter((v) => v.from === "src/sandbox/frames.ts")).toEqual([]);
  });

  it("downward imports pass", () => {
    expect(violations.filter((v) => v.from === "src/inbox/fine.ts")).toEqual([]);
  });
});
