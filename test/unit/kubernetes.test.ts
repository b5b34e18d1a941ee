import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { loadConfig } from "../../src/config.js";

/**
 * The Kubernetes example (deploy/kubernetes), parsed and checked against the code and the container recipe:
 * every agent a shard's keys configure is routed to that shard and no other, ports line up from Ingress to the
 * hub's listening port, probes use the image's health check, and every variable is one the settings read.
 */
const root = join(import.meta.dirname, "../..");
const dir = join(root, "deploy/kubernetes");

interface Resource {
  kind: string;
  metadata: { name: string };
  [field: string]: any;
}

const resources: Resource[] = readdirSync(dir)
  .filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml")
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return doc.toJS() as Resource;
    }),
  );
const ofKind = (kind: string) => resources.filter((r) => r.kind === kind);
const named = (kind: string, name: string) => {
  const found = ofKind(kind).find((r) => r.metadata.name === name);
  expect(found, `${kind} ${name}`).toBeDefined();
  return found!;
};
const deployments = ofKind("Deployment");
const help = execFileSync(process.execPath, [join(root, "dist/cli.js"), "--help"], { encoding: "utf8" });
const defaultPort = Number(/--port <port>\s+HTTP port \(default (\d+);/.exec(help)?.[1]);
const dockerHealthCheck = /^HEALTHCHECK .*?CMD (\[.*\])$/m.exec(readFileSync(join(root, "Dockerfile"), "utf8").replace(/\\\n\s*/g, ""))![1]!;

/** The environment a shard's hub starts with, secret placeholders replaced by well-formed values. */
function shardEnv(deployment: Resource): Record<string, string> {
  const container = deployment.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    for (const name of Object.keys(named("Secret", source.secretRef.name).stringData)) env[name] = name.startsWith("BAND_API_KEY") ? `band_a_${randomBytes(12).toString("hex")}` : randomBytes(32).toString("hex");
  }
  for (const { name, value } of container.env ?? []) env[name] = value;
  return env;
}

/** Every variable name the settings look up (see server-json.test.ts), plus the open-ended labelled ones. */
function isSetting(name: string): boolean {
  if (/^BAND_API_KEY_[A-Z0-9_]+$/.test(name) || /^BAND_MCP_HTTP_TOKEN_[A-Z0-9_]+$/.test(name)) return true;
  const read = new Set<string>();
  loadConfig(new Proxy({ BAND_USER_KEY: `band_u_${randomBytes(8).toString("hex")}` } as Record<string, string>, { get: (t, n) => (typeof n === "string" ? (read.add(n), t[n]) : undefined) }));
  return read.has(name);
}

/** label → the Service its Ingress path leads to. */
function routes(): Map<string, { service: string; port: string | number }> {
  const out = new Map<string, { service: string; port: string | number }>();
  for (const ingress of ofKind("Ingress")) {
    for (const rule of ingress.spec.rules) {
      for (const path of rule.http.paths) {
        const match = /^\/agents\/([a-z0-9-]+)\/$/.exec(path.path);
        expect(match, `${path.path} routes one agent's paths, /agents/<label>/`).not.toBeNull();
        expect(path.pathType).toBe("Prefix");
        expect(out.has(match![1]!), `${match![1]} routed once`).toBe(false);
        out.set(match![1]!, { service: path.backend.service.name, port: path.backend.service.port.name ?? path.backend.service.port.number });
      }
    }
  }
  return out;
}

describe("Kubernetes example", () => {
  it("runs each shard as a standby pair of hubs serving HTTP on the code's default port, replaced by Recreate", () => {
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const deployment of deployments) {
      expect(deployment.spec.replicas, deployment.metadata.name).toBe(2);
      expect(deployment.spec.strategy.type, "a new replica cannot become ready while an old one holds the sockets").toBe("Recreate");
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      const [container] = pod.containers;
      expect(container.args).toEqual(["--http", "--host", "0.0.0.0", "--port", String(defaultPort)]);
      expect(container.ports).toEqual([{ name: "http", containerPort: defaultPort }]);
      expect(deployment.spec.selector.matchLabels).toEqual(pod.metadata?.labels ?? deployment.spec.template.metadata.labels);
    }
  });

  it("is ready only where the hub holds its agents, and alive by the image's own health check", () => {
    for (const deployment of deployments) {
      const [container] = deployment.spec.template.spec.containers;
      expect(container.readinessProbe.httpGet).toEqual({ path: "/health", port: "http" });
      expect(container.livenessProbe.exec.command).toEqual(JSON.parse(dockerHealthCheck));
      expect(container.livenessProbe.httpGet, "an HTTP liveness probe on /health would restart the standby (503)").toBeUndefined();
    }
  });

  it("routes every agent of a shard's keys, by path prefix, to that shard's Service and port, and nothing else", () => {
    const routed = routes();
    const served = new Set<string>();
    for (const deployment of deployments) {
      const env = shardEnv(deployment);
      for (const name of Object.keys(env)) expect(isSetting(name), `${name} is a setting the server reads`).toBe(true);
      const config = loadConfig(env);
      expect(config.http.token, "a hub listening beyond loopback needs a token").toBeDefined();
      const service = ofKind("Service").find((s) => JSON.stringify(s.spec.selector) === JSON.stringify(deployment.spec.selector.matchLabels));
      expect(service, `a Service selects ${deployment.metadata.name}'s pods`).toBeDefined();
      const [port] = service!.spec.ports;
      expect(port.targetPort).toBe("http");
      for (const { label } of config.agents) {
        expect(served.has(label), `${label} is in one shard only`).toBe(false);
        served.add(label);
        expect(routed.get(label), `/agents/${label}/ → ${service!.metadata.name}`).toEqual({ service: service!.metadata.name, port: port.name });
      }
    }
    expect([...routed.keys()].sort(), "no route to an agent no shard holds").toEqual([...served].sort());
  });
});
