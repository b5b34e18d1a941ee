import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/doctor.js";
import type { FakeBand } from "../fake-band/index.js";
import { call, connectInMemory, useFakeBand, type Connected } from "../helpers/harness.js";
import { startHostileBand, type HostileBand } from "../helpers/hostile-band.js";

/** Issue 9: arguments a careless or hostile model sends, and answers a hostile Band gives. */

let fake: FakeBand;
let conn: Connected;
const connect = useFakeBand((started) => (fake = started));

beforeEach(async () => {
  conn = await connect();
});

const run = (name: string, args: Record<string, unknown> = {}) => call(conn.client, name, args);

describe("dot-segment ids", () => {
  it.each([".", "..", " .. ", "", "a/b", "x\ny"])("refuses chat_id %j before any request, naming the tool that lists ids", async (id) => {
    const before = fake.requests.length;
    const result = await run("band_get_chat", { chat_id: id });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/not an id.*band_list_chats/s);
    expect(fake.requests.slice(before)).toEqual([]);
  });

  it("refuses a participant of '..' instead of deleting on the chat itself", async () => {
    const result = await run("band_remove_participant", { chat_id: fake.room.id, participant: ".." });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/not a valid id.*Nothing was sent/);
    expect(fake.requests.filter((r) => r.method === "DELETE")).toEqual([]);
  });

  it("still accepts UUIDs and task numbers", async () => {
    const ok = await run("band_get_chat", { chat_id: fake.room.id });
    expect(ok.isError).toBe(false);
    const task = await run("band_get_task", { chat_id: fake.room.id, task_id: "3" });
    expect(task.text).not.toMatch(/not an id/);
  });
});

describe("documented limits, checked before the request", () => {
  it("refuses band_send_event metadata over Band's 64 KB", async () => {
    const before = fake.requests.length;
    const result = await run("band_send_event", { chat_id: fake.room.id, message_type: "thought", content: "big", metadata: { blob: "x".repeat(70_000) } });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/65536 bytes/);
    expect(fake.requests.slice(before)).toEqual([]);
    const small = await run("band_send_event", { chat_id: fake.room.id, message_type: "thought", content: "small", metadata: { blob: "x".repeat(1_000) } });
    expect(small.isError).toBe(false);
  });

  it("refuses a room title with a line break", async () => {
    const result = await run("band_create_chat", { title: "one\ntwo" });
    expect(result.isError).toBe(true);
    expect(fake.requests.filter((r) => r.method === "POST")).toEqual([]);
  });

  it("band_send_and_wait waits 1..50 s, below the 60 s most clients allow a request", async () => {
    const live = await connectInMemory(fake, { BAND_LIVE: "true" });
    try {
      const { tools } = await live.client.listTools();
      const schema = tools.find((t) => t.name === "band_send_and_wait")!.inputSchema.properties!.timeout_seconds as { maximum: number; minimum: number };
      expect([schema.minimum, schema.maximum]).toEqual([1, 50]);
      const before = fake.requests.filter((r) => r.method === "POST").length;
      const result = await call(live.client, "band_send_and_wait", { chat_id: fake.room.id, content: "hi", mentions: ["alice/reviewer"], timeout_seconds: 51 });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/timeout_seconds/);
      expect(fake.requests.filter((r) => r.method === "POST").length).toBe(before);
    } finally {
      await live.close();
    }
  });
});

describe("Band error codes that are JavaScript property names", () => {
  let hostile: HostileBand;
  afterEach(async () => hostile?.close());

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("explains a 422 with code %s", async (code) => {
    hostile = await startHostileBand(() => ({ status: 422, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { code, message: "nope" } }) }));
    const bad = await connectInMemory(fake, { BAND_BASE_URL: hostile.url });
    try {
      const result = await call(bad.client, "band_send_event", { chat_id: fake.room.id, message_type: "thought", content: "x" });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(new RegExp(`Band rejected the request \\(422 ${code}\\): Band rejected the arguments`));
    } finally {
      await bad.close();
    }
  });
});

describe("secrets never leave the process", () => {
  let hostile: HostileBand;
  afterEach(async () => hostile?.close());

  it("masks the key when Band's error message echoes it", async () => {
    const key = fake.agent.key;
    hostile = await startHostileBand(() => ({ status: 403, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { code: "forbidden", message: `key ${key} is not allowed here` } }) }));
    const bad = await connectInMemory(fake, { BAND_BASE_URL: hostile.url });
    try {
      const result = await call(bad.client, "band_get_chat", { chat_id: fake.room.id });
      expect(result.isError).toBe(true);
      expect(result.text).toContain("[redacted]");
      expect(result.text).not.toContain(key);
    } finally {
      await bad.close();
    }
  });

  it("masks the key when a successful answer carries it, in text and structuredContent", async () => {
    const key = fake.agent.key;
    hostile = await startHostileBand(() => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ data: { id: "c1", title: `leak ${key}` } }) }));
    const bad = await connectInMemory(fake, { BAND_BASE_URL: hostile.url });
    try {
      const result = await call(bad.client, "band_get_chat", { chat_id: "c1" });
      expect(result.isError).toBe(false);
      expect(result.text).not.toContain(key);
      expect(JSON.stringify(result.structured)).not.toContain(key);
      expect(result.structured!.title).toBe("leak [redacted]");
    } finally {
      await bad.close();
    }
  });

  it("keeps a URL's password out of config errors and doctor output", async () => {
    const password = `pw${"9".repeat(12)}`;
    const lines: string[] = [];
    const bad = await runDoctor({ BAND_API_KEY: fake.agent.key, BAND_BASE_URL: `ftp://user:${password}@example.test` }, {}, (t) => lines.push(t), { stepTimeoutMs: 2_000 });
    expect(bad).toBe(1);
    expect(lines.join("")).toMatch(/BAND_BASE_URL/);
    const good = await runDoctor({ BAND_API_KEY: fake.agent.key, BAND_BASE_URL: fake.url.replace("http://", `http://user:${password}@`), BAND_WS_URL: fake.wsUrl }, {}, (t) => lines.push(t), { stepTimeoutMs: 2_000 });
    expect(good).toBe(0);
    expect(lines.join("")).toMatch(/user:\[redacted\]@/);
    expect(lines.join("")).not.toContain(password);
  });
});
