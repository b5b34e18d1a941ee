import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { redactor } from "../../src/redact.js";

describe("logging", () => {
  it("redacts configured secrets and anything key-shaped, but not tool names", () => {
    const redact = redactor(["s3cr3t-token"]);
    expect(redact("token s3cr3t-token here")).toBe("token [redacted] here");
    expect(redact(`key band_a_${"Ab0".repeat(7)}`)).toBe("key band_a_[redacted]");
    expect(redact("legacy thnv_AbCdEf0123456789xyz")).toBe("legacy thnv_[redacted]");
    expect(redact("band_wait_for_message ok")).toBe("band_wait_for_message ok");
  });

  it("escapes control characters, so a name from Band cannot forge a line or drive the terminal", () => {
    const lines: string[] = [];
    const log = createLogger("info", [], (l) => lines.push(l));
    log.info("joined room a\n2026-01-01T00:00:00.000Z ERROR band-mcp: forged \u001b[31mred\u009b", { title: "x\u0085y\u2028z" });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split("\n")).toEqual([expect.stringContaining("joined room a\\u000a2026"), ""]);
    expect(lines[0]).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(lines[0]).toContain("\\u001b[31mred\\u009b");
    expect(lines[0]).toContain("x\\u0085y\\u2028z");
  });

  it("masks a URL's password and JSON-escaped secrets", () => {
    const redact = redactor(['tok"en\\1234']);
    expect(redact("proxy http://me:hunter2@proxy.test:3128 failed")).toBe("proxy http://me:[redacted]@proxy.test:3128 failed");
    expect(redact(JSON.stringify({ t: 'tok"en\\1234' }))).toBe('{"t":"[redacted]"}');
  });

  it("writes only at or above its level, one line each", () => {
    const lines: string[] = [];
    const log = createLogger("warn", [], (l) => lines.push(l));
    log.info("hidden");
    log.warn("shown", { n: 1 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WARN band-mcp: shown \{"n":1\}\n$/);
    expect(log.enabled("debug")).toBe(false);
  });
});
