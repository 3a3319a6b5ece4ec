import { join } from "node:path";
import { describeCatalogues } from "@fivestep/ui/testing";
import { catalogues } from "./index.ts";

describeCatalogues("admin translations", catalogues, join(import.meta.dirname, ".."));
