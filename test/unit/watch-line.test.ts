import { describe, expect, it } from "vitest";
import { flatten, monitorLine } from "../../src/watch/line.js";

const frame = (fields: Partial<Parameters<typeof monitorLine>[0]> = {}) => ({
  type: "message" as const,
  id: "m1",
  chat_id: "c1",
  chat_title: "Launch",
  sender: { id: "u1", handle: "ada", name: "Ada" },
  content: "ship it",
  ...fields,
});

describe("the watch line", () => {
  it("reads @sender in \"room\": text — call band_wait_for_message", () => {
    expect(monitorLine(frame())).toBe('@ada in "Launch": ship it — call band_wait_for_message');
  });

  it("keeps untrusted text on one line: no control characters, line breaks, separators or bidi overrides", () => {
    const line = monitorLine(frame({ content: "a\r\nb\u2028c\u202eevil\u0000\u001b[2Jd", chat_title: 'x"\ny', sender: { id: "u", handle: "h\nfake line" } }));
    expect(line).toBe('@h fake line in "x\' y": a b c evil [2Jd — call band_wait_for_message');
    expect(line).not.toMatch(/[\u0000-\u001f\u2028\u202e]/);
  });

  it("cuts the text at 200 characters, counting characters rather than UTF-16 units", () => {
    expect(flatten("é".repeat(250), 200)).toBe(`${"é".repeat(200)}…`);
    expect(Array.from(flatten("😀".repeat(201), 200))).toHaveLength(201);
    expect(flatten("short", 200)).toBe("short");
  });

  it("names the sender by name, then id, when there is no handle, and the room by id without a title", () => {
    expect(monitorLine(frame({ sender: { id: "u9", name: "Bob" }, chat_title: undefined }))).toBe('Bob in "c1": ship it — call band_wait_for_message');
    expect(monitorLine(frame({ sender: { id: "u9" } }))).toMatch(/^u9 in /);
  });
});
