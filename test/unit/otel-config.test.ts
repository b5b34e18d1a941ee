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

  it("turn metrics on with the shared endpoint or their own, every OTEL_METRIC_EXPORT_INTERVAL ms, and off by their own switch", () => {
    const shared = { BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(loadConfig({ BAND_API_KEY: KEY }).otelMetrics).toEqual({ enabled: false });
    expect(loadConfig(shared).otelMetrics).toEqual({ enabled: true, endpoint: "http://collector:4318", intervalMs: 60_000 });
    const own = loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "https://m/v1/metrics", OTEL_METRIC_EXPORT_INTERVAL: "5000" });
    expect([own.otelMetrics, own.otel.enabled]).toEqual([{ enabled: true, endpoint: "https://m/v1/metrics", intervalMs: 5000 }, false]);
    // The traces' own endpoint does not turn metrics on, nor the other way round.
    expect(loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://t/v1/traces" }).otelMetrics.enabled).toBe(false);
    const metricsOff = loadConfig({ ...shared, OTEL_METRICS_EXPORTER: "none" });
    expect([metricsOff.otelMetrics.enabled, metricsOff.otel.enabled]).toEqual([false, true]);
    expect(loadConfig({ ...shared, OTEL_SDK_DISABLED: "true" }).otelMetrics.enabled).toBe(false);
    expect(() => loadConfig({ ...shared, OTEL_METRIC_EXPORT_INTERVAL: "10" })).toThrow(/OTEL_METRIC_EXPORT_INTERVAL="10" must be at least 100/);
  });

  it("say a bad shared endpoint once, for both signals, and keep a metrics endpoint's password secret", () => {
    expect(() => loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(ConfigError);
    try {
      loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" });
    } catch (error) {
      expect((error as Error).message.match(/OTEL_EXPORTER_OTLP_ENDPOINT must be/g)).toHaveLength(1);
      expect((error as Error).message).toMatch(/turn traces and metrics off/);
    }
    expect(() => loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "m:1" })).toThrow(/OTEL_EXPORTER_OTLP_METRICS_ENDPOINT must be .* turn metrics off/);
    expect(secretsOf(loadConfig({ BAND_API_KEY: KEY, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "https://user:m3tric-pass@collector/v1/metrics" }))).toContain("m3tric-pass");
  });
});
