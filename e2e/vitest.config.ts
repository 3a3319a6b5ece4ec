import { defineProject } from "vitest/config";

// Each file starts its own server (its own database) and its own Chromium, so files are
// independent. Two run at a time: a browser test spends much of its time waiting for the other
// processes (the server, Chromium's renderer), so two files fill a 2-core machine better than one.
export default defineProject({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
