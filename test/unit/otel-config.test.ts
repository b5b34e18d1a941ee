import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, secretsOf } from "../../src/config.js";

const KEY = `band_a_${"k".repeat(24)}`;

describe("OpenTelemetry settings", () => {
  it("are off without an OTLP endpoint, and on with either the shared or the traces' own", () => {
    expect(loadConfig({ BAND_API_KEY: KEY }).otel).toEqual({ enabled: false });
    expect(loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).otel).toEqual({ enabled: true, endpoint: "http://collector:4318" });
    expect(loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://collector/v1/traces" }).otel.enabled).toBe(true);
  });

  it("stay off when the standard switches say so", () => {
    const endpoint = { BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: "true" }).otel.enabled).toBe(false);
    expect(loadConfig({ ...endpoint, OTEL_TRACES_EXPORTER: "none" }).otel.enabled).toBe(false);
  });

  it("refuse an endpoint that is not an http(s) URL, naming the variable, and keep a password in it secret", () => {
    expect(() => loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(ConfigError);
    expect(() => loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be/);
    expect(secretsOf(loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: "https://user:s3cret-pass@collector" }))).toContain("s3cret-pass");
  });
});
