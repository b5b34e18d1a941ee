import { describe, expect, it } from "vitest";
import { ConfigError, deriveWsUrl, forAgent, keyKind, loadConfig, secretsOf } from "../../src/config.js";

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("config", () => {
  it("requires a key and names the variable", () => {
    expect(problemsOf({})[0]).toMatch(/BAND_API_KEY is not set/);
  });

  it("accepts the key aliases and remembers which one", () => {
    expect(loadConfig({ BAND_AGENT_KEY: "band_a_abcdefgh" }).agentKeyVariable).toBe("BAND_AGENT_KEY");
    expect(loadConfig({ THENVOI_API_KEY: "thnv_a_abcdefgh" }).agentKeyVariable).toBe("THENVOI_API_KEY");
  });

  it("detects key kinds by prefix", () => {
    expect(keyKind("band_a_x")).toBe("agent");
    expect(keyKind("thnv_u_x")).toBe("user");
    expect(keyKind("band_xyz")).toBe("legacy");
    expect(keyKind("sk-abc")).toBe("unknown");
  });

  it("rejects a user key in BAND_API_KEY with the fix", () => {
    expect(problemsOf({ BAND_API_KEY: "band_u_abcdefgh" })[0]).toMatch(/Put it in BAND_USER_KEY/);
  });

  it("lists every problem at once", () => {
    const problems = problemsOf({ BAND_API_KEY: "band_a_abcdefgh", BAND_BASE_URL: "ftp://x", BAND_INBOX_CAPACITY: "-3", BAND_TOOLSETS: "chats,nope", BAND_LOG_LEVEL: "loud", BAND_READ_ONLY: "maybe" });
    expect(problems).toHaveLength(5);
    expect(problems.join("\n")).toMatch(/BAND_BASE_URL.*http/);
    expect(problems.join("\n")).toMatch(/BAND_TOOLSETS.*nope/);
  });

  it("bounds the inbox in bytes: 32 MB by default, the flag over the environment, nonsense refused", () => {
    expect(loadConfig({ BAND_API_KEY: "band_a_abcdefgh" }).inboxMaxBytes).toBe(33_554_432);
    expect(loadConfig({ BAND_API_KEY: "band_a_abcdefgh", BAND_INBOX_MAX_BYTES: "1000000" }, { inboxMaxBytes: "2000000" }).inboxMaxBytes).toBe(2_000_000);
    expect(problemsOf({ BAND_API_KEY: "band_a_abcdefgh", BAND_INBOX_MAX_BYTES: "12kb" })[0]).toMatch(/BAND_INBOX_MAX_BYTES.*whole number of bytes/);
    expect(problemsOf({ BAND_API_KEY: "band_a_abcdefgh", BAND_INBOX_MAX_BYTES: "10" })[0]).toMatch(/BAND_INBOX_MAX_BYTES.*at least 65536/);
  });

  it("reads the delivery timers: defaults, flags over the environment, 0 where it disables, nonsense refused", () => {
    const key = { BAND_API_KEY: "band_a_abcdefgh" };
    expect(loadConfig(key).delivery).toEqual({ resyncSeconds: 60, standbySeconds: 30, claimTimeoutSeconds: 1800, loopLimit: 25 });
    const env = { ...key, BAND_RESYNC_SECONDS: "0", BAND_STANDBY_SECONDS: "5", BAND_CLAIM_TIMEOUT_SECONDS: "90", BAND_LOOP_LIMIT: "0" };
    expect(loadConfig(env).delivery).toEqual({ resyncSeconds: 0, standbySeconds: 5, claimTimeoutSeconds: 90, loopLimit: 0 });
    expect(loadConfig(env, { resyncSeconds: "10", standbySeconds: "7", claimTimeoutSeconds: "60", loopLimit: "3" }).delivery).toEqual({ resyncSeconds: 10, standbySeconds: 7, claimTimeoutSeconds: 60, loopLimit: 3 });
    const problems = problemsOf({ ...key, BAND_RESYNC_SECONDS: "1m", BAND_STANDBY_SECONDS: "0", BAND_CLAIM_TIMEOUT_SECONDS: "-1", BAND_LOOP_LIMIT: "2.5" });
    expect(problems).toEqual([
      expect.stringMatching(/BAND_RESYNC_SECONDS="1m" must be a whole number of seconds \(0 disables\)/),
      expect.stringMatching(/BAND_STANDBY_SECONDS="0" must be at least 1/),
      expect.stringMatching(/BAND_CLAIM_TIMEOUT_SECONDS="-1" must be at least 1/),
      expect.stringMatching(/BAND_LOOP_LIMIT="2.5" must be a whole number of messages/),
    ]);
  });

  it("derives the socket URL from the base URL", () => {
    expect(deriveWsUrl("https://app.band.ai")).toBe("wss://app.band.ai/api/v1/socket");
    expect(loadConfig({ BAND_API_KEY: "band_a_abcdefgh", BAND_BASE_URL: "http://127.0.0.1:4000/" }).wsUrl).toBe("ws://127.0.0.1:4000/api/v1/socket");
  });

  it("lets flags win over the environment", () => {
    const config = loadConfig({ BAND_API_KEY: "band_a_abcdefgh", BAND_TOOLSETS: "chats" }, { toolsets: "all", readOnly: true });
    expect(config.toolsets).toContain("human");
    expect(config.readOnly).toBe(true);
  });

  it("refuses a key with a control character at start, naming the variable", () => {
    expect(problemsOf({ BAND_API_KEY: "band_a_abc\u0007defgh" })[0]).toMatch(/BAND_API_KEY is malformed.*control characters/);
    expect(problemsOf({ BAND_API_KEY: "band_a_abcdefgh", BAND_USER_KEY: "band_u_abc\u007fdefgh" })[0]).toMatch(/BAND_USER_KEY is malformed/);
  });

  it("keeps secrets out of its errors: a URL's password, a key pasted into the wrong variable", () => {
    const key = `band_a_${"k".repeat(20)}`;
    const problems = problemsOf({ BAND_API_KEY: key, BAND_BASE_URL: "ftp://me:hunter2pw@band.test", BAND_TOOLSETS: key }).join("\n");
    expect(problems).toMatch(/BAND_BASE_URL="ftp:\/\/me:\[redacted\]@band.test"/);
    expect(problems).toMatch(/BAND_TOOLSETS/);
    expect(problems).not.toContain("hunter2pw");
    expect(problems).not.toContain(key);
  });

  it("counts URL passwords among the secrets to mask", () => {
    const config = loadConfig({ BAND_API_KEY: "band_a_abcdefgh", BAND_BASE_URL: "https://me:s%40cret99@band.test", HTTPS_PROXY: "http://p:proxypass1@proxy.test:3128" });
    expect(secretsOf(config)).toEqual(expect.arrayContaining(["band_a_abcdefgh", "s%40cret99", "s@cret99", "proxypass1"]));
  });

  it("never prints the key", () => {
    const config = loadConfig({ BAND_API_KEY: `band_a_${"supersecret1"}` });
    expect(JSON.stringify(config)).not.toContain("supersecret1");
    expect(String(config.agentKey)).toBe("[redacted]");
  });

  describe("several agents (the hub)", () => {
    const key = (tag: string) => `band_a_${tag.repeat(12)}`;

    it("adds an agent per BAND_API_KEY_<LABEL>, labelled in lowercase with - for _", () => {
      const config = loadConfig({ BAND_API_KEY: key("d"), BAND_API_KEY_SALES_BOT: key("s"), BAND_API_KEY_OPS: key("o") });
      expect(config.agents.map((a) => [a.label, a.variable])).toEqual([["default", "BAND_API_KEY"], ["ops", "BAND_API_KEY_OPS"], ["sales-bot", "BAND_API_KEY_SALES_BOT"]]);
      expect(config.agentKey?.reveal()).toBe(key("d"));
      expect(forAgent(config, "sales-bot").agentKey?.reveal()).toBe(key("s"));
      expect(forAgent(config, "sales-bot").agentKeyVariable).toBe("BAND_API_KEY_SALES_BOT");
      expect(secretsOf(config)).toEqual(expect.arrayContaining([key("d"), key("s"), key("o")]));
    });

    it("serves the only agent over stdio, and asks which one when there are several without a default", () => {
      expect(forAgent(loadConfig({ BAND_API_KEY_OPS: key("o") })).agentKey?.reveal()).toBe(key("o"));
      const two = loadConfig({ BAND_API_KEY_OPS: key("o"), BAND_API_KEY_SALES: key("s") });
      expect(() => forAgent(two)).toThrow(/Several agents are configured \(ops, sales\)[\s\S]*--agent <label>/);
      expect(() => forAgent(two, "nope")).toThrow(/--agent nope is not configured; the agents are: ops, sales/);
    });

    it("checks every labelled key and token, and the JWT secret's length, without echoing them", () => {
      const userKey = `band_u_${"u".repeat(12)}`;
      const problems = problemsOf({
        BAND_API_KEY_OPS: userKey,
        BAND_API_KEY_lower: key("l"),
        BAND_MCP_HTTP_TOKEN_GHOST: "t".repeat(30),
        BAND_MCP_HTTP_JWT_SECRET: "short-secret",
      }).join("\n");
      expect(problems).toMatch(/BAND_API_KEY_OPS holds a user key/);
      expect(problems).toMatch(/BAND_API_KEY_lower: the part after BAND_API_KEY_ must be made of A-Z, 0-9 and _/);
      expect(problems).toMatch(/BAND_MCP_HTTP_TOKEN_GHOST is a token for an agent "ghost" that is not configured/);
      expect(problems).toMatch(/BAND_MCP_HTTP_JWT_SECRET is too short/);
      for (const secret of [userKey, "short-secret", "t".repeat(30)]) expect(problems).not.toContain(secret);
    });

    it("refuses two variables for the default agent", () => {
      expect(problemsOf({ BAND_API_KEY: key("d"), BAND_API_KEY_DEFAULT: key("e") }).join()).toMatch(/both name the agent "default"/);
    });
  });
});
