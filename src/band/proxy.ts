import type { Agent as HttpAgent } from "node:http";
import { HttpsProxyAgent } from "https-proxy-agent";

export interface ProxySettings {
  httpsProxy?: string;
  httpProxy?: string;
  noProxy?: string;
}

/**
 * The proxy a connection to `url` goes through, or undefined when it goes direct. The rules are undici's
 * EnvHttpProxyAgent's (which carries the REST calls), so REST and the socket always agree: secure targets
 * (https, wss) use HTTPS_PROXY then HTTP_PROXY, plain ones HTTP_PROXY; NO_PROXY entries are `*`, or hosts
 * (a leading `.` or `*.` is optional and subdomains match) with an optional `:port`.
 */
export function proxyFor(url: string, proxy: ProxySettings): string | undefined {
  const target = new URL(url);
  const secure = target.protocol === "https:" || target.protocol === "wss:";
  const via = secure ? (proxy.httpsProxy ?? proxy.httpProxy) : proxy.httpProxy;
  if (!via) return undefined;
  const port = Number(target.port) || (secure ? 443 : 80);
  return bypassesProxy(target.hostname.toLowerCase(), port, proxy.noProxy ?? "") ? undefined : via;
}

function bypassesProxy(hostname: string, port: number, noProxy: string): boolean {
  if (noProxy.trim() === "*") return true;
  for (const entry of noProxy.split(/[,\s]/)) {
    if (!entry) continue;
    const withPort = /^(.+):(\d+)$/.exec(entry);
    const host = (withPort ? withPort[1]! : entry).replace(/^\*?\./, "").toLowerCase();
    if (withPort && Number(withPort[2]) !== port) continue;
    if (hostname === host || hostname.endsWith(`.${host}`)) return true;
  }
  return false;
}

/** The HTTP CONNECT agent `ws` needs to reach Band's socket through a proxy, when one applies to it. */
export function socketProxyAgent(wsUrl: string, proxy: ProxySettings): HttpAgent | undefined {
  const via = proxyFor(wsUrl, proxy);
  return via ? new HttpsProxyAgent(via) : undefined;
}

/** A proxy URL fit for a report: any credentials in it are masked. */
export function describeProxyUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = "***";
      parsed.password = "";
    }
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(not a valid URL)";
  }
}
