import { describe, expect, it } from "vitest";
import { createLogger, redactor } from "../../src/log.js";

describe("logging", () => {
  it("redacts configured secrets and anything key-shaped, but not tool names", () => {
    const redact = redactor(["s3cr3t-token"]);
    expect(redact("token s3cr3t-token here")).toBe("token [redacted] here");
    expect(redact(`key band_a_${"Ab0".repeat(7)}`)).toBe("key band_a_[redacted]");
    expect(redact("legacy thnv_AbCdEf0123456789xyz")).toBe("legacy thnv_[redacted]");
    expect(redact("band_wait_for_message ok")).toBe("band_wait_for_message ok");
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
