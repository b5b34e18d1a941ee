import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return "";
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

describe("placeholder keys", () => {
  it("refuses what the docs and examples show instead of a key, naming the variable", () => {
    for (const key of ["band_a_your_agent_key", "band_a_...", "band_a_…", "thnv_a_<agent-key>", "band_a_xxxxxxxx", "band_your-key-here"]) {
      expect(problemsOf({ BAND_API_KEY: key }), key).toContain("BAND_API_KEY holds a placeholder");
    }
    expect(problemsOf({ BAND_USER_KEY: "band_u_your_user_key" })).toContain("BAND_USER_KEY holds a placeholder");
    expect(problemsOf({ BAND_API_KEY_SALES: "band_a_..." })).toContain("BAND_API_KEY_SALES holds a placeholder");
  });

  it("accepts keys shaped like Band's", () => {
    for (const key of ["band_a_" + "3kq9ZxT0pL7mW2vB8nR4", "thnv_a_" + "Yx7Q2m9KpL3v8WbN", "band_" + "k8Zq2x7Lm3Vp9Wn4Tr6Y", "band_a_" + "yourbandkey0Q7x2L9"]) {
      expect(problemsOf({ BAND_API_KEY: key }), key).toBe("");
    }
  });
});
