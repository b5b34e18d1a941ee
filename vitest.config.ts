import { availableParallelism } from "node:os";
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
    // Vitest's default is one worker less than the cores: on a 2-core machine the whole suite ran one file at a
    // time. The files mostly wait on spawned servers and timers, so two workers there are safe and faster
    // (8 e2e files at the same load: 87 s with one, 69 s with two, all passing); bigger machines keep the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { extends: true, test: { name: "suite", include: ["test/**/*.test.ts"], exclude: ["test/fault/**"] } },
      { extends: true, test: { name: "fault", include: ["test/fault/**/*.test.ts"] } },
    ],
  },
});
