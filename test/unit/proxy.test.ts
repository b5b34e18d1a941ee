import { describe, expect, it } from "vitest";
import { describeProxyUrl, proxyFor, socketProxyAgent } from "../../src/band/proxy.js";

const P = "http://proxy.local:3128";
const S = "http://secure-proxy.local:3128";

describe("proxyFor (the rules REST's EnvHttpProxyAgent uses, applied to the socket)", () => {
  it("uses HTTPS_PROXY for https and wss, falling back to HTTP_PROXY; HTTP_PROXY only for http and ws", () => {
    expect(proxyFor("wss://app.band.ai/api/v1/socket", { httpsProxy: S, httpProxy: P })).toBe(S);
    expect(proxyFor("https://app.band.ai", { httpProxy: P })).toBe(P);
    expect(proxyFor("ws://band.internal/api/v1/socket", { httpsProxy: S })).toBeUndefined();
    expect(proxyFor("ws://band.internal/api/v1/socket", { httpsProxy: S, httpProxy: P })).toBe(P);
    expect(proxyFor("https://app.band.ai", {})).toBeUndefined();
  });

  it("honours NO_PROXY: exact hosts, subdomains, leading dots and wildcards, ports, and *", () => {
    const with_ = (noProxy: string, url = "wss://app.band.ai/api/v1/socket") => proxyFor(url, { httpsProxy: S, noProxy });
    expect(with_("app.band.ai")).toBeUndefined();
    expect(with_("band.ai")).toBeUndefined();
    expect(with_(".band.ai")).toBeUndefined();
    expect(with_("*.band.ai")).toBeUndefined();
    expect(with_("localhost, BAND.AI")).toBeUndefined();
    expect(with_("*")).toBeUndefined();
    expect(with_("app.band.ai:443")).toBeUndefined();
    expect(with_("app.band.ai:8443")).toBe(S);
    expect(with_("ban.ai,other.band.ai,xband.ai")).toBe(S);
    expect(with_("127.0.0.1", "ws://127.0.0.1:4000/api/v1/socket")).toBeUndefined();
  });

  it("builds a CONNECT agent only when a proxy applies, and masks credentials in reports", () => {
    expect(socketProxyAgent("wss://app.band.ai", {})).toBeUndefined();
    expect(socketProxyAgent("wss://app.band.ai", { httpsProxy: S })).toBeDefined();
    expect(describeProxyUrl("http://user:secret@proxy.local:3128")).toBe("http://***@proxy.local:3128");
    expect(describeProxyUrl("nonsense")).toBe("(not a valid URL)");
  });
});
