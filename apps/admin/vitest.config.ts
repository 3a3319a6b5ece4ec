import { nodeProject } from "@fivestep/vitest-config";

export default nodeProject();
