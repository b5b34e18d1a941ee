import { defineConfig } from "vitest/config";

/**
 * Two projects: the suite, and the seeded fault suite (test/fault), which runs the longest and can be run or
 * replayed on its own: `npx vitest run --project fault` (FAULT_SEED=<n> to replay).
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "suite", include: ["test/**/*.test.ts"], exclude: ["test/fault/**"] } },
      { extends: true, test: { name: "fault", include: ["test/fault/**/*.test.ts"] } },
    ],
  },
});
