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
    // One worker process runs many files one after another, instead of a fresh process per file. With a fresh
    // process each file paid for starting Node and importing vitest, the SDK, zod and our modules again: about
    // 40% of the suite's CPU time (237 s → 142 s user+sys for the whole run), on a machine whose two cores the
    // suite keeps busy. Nothing in src or test relies on a fresh process: no module mocks, no fake timers, no
    // global state a file leaves behind (tracing and the process's signal handlers live only in spawned servers).
    isolate: false,
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
