import { nodeProject } from "@fivestep-tooling/vitest";

export default nodeProject();
