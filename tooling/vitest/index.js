// Plain JavaScript: Vitest loads config files' dependencies from node_modules without compiling
// TypeScript. Types are in index.d.ts.
import { defineProject } from "vitest/config";

/**
 * The shared Vitest project settings: Node environment, co-located `*.test.ts` files, and
 * generous timeouts for integration tests on shared machines.
 *
 * @example
 * // packages/db/vitest.config.ts
 * import { nodeProject } from "@fivestep-tooling/vitest";
 * export default nodeProject();
 */
export function nodeProject(options = {}) {
  return defineProject({
    test: {
      environment: "node",
      include: options.include ?? ["src/**/*.test.ts", "src/**/*.test.tsx"],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: options.hookTimeout ?? 60_000,
    },
  });
}
