import { defineProject } from "vitest/config";

// Browser tests share one Chromium and one server per file; run files one at a time.
export default defineProject({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
