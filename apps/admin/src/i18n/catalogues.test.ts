import { join } from "node:path";
import { JOB_KINDS } from "@fivestep/api";
import { describeCatalogues } from "@fivestep/ui/testing";
import { describe, expect, it } from "vitest";
import { KNOWN_KINDS } from "../pages/job-page.tsx";
import { catalogues } from "./index.ts";

describeCatalogues("admin translations", catalogues, join(import.meta.dirname, ".."));

describe("job kinds in words", () => {
  it("names every kind the server runs, in both languages", () => {
    const kinds = [...JOB_KINDS.keys()].sort();
    expect([...KNOWN_KINDS].sort()).toEqual(kinds);
    for (const kind of kinds) {
      expect(catalogues["en-GB"][`job.kind.${kind}`], kind).toBeTruthy();
      expect(catalogues["hr-HR"][`job.kind.${kind}`], kind).toBeTruthy();
    }
  });
});
