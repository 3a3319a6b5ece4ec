import type { UserWorkspaceConfig } from "vitest/config";

/**
 * The shared Vitest project settings.
 *
 * @example export default nodeProject({ testTimeout: 60_000 });
 */
export declare function nodeProject(options?: {
  include?: string[];
  testTimeout?: number;
  hookTimeout?: number;
}): UserWorkspaceConfig;
