import { mountApp } from "@fivestep/client";
import { App } from "./app.tsx";
import { catalogues } from "./i18n/index.ts";

mountApp({ App, catalogues, base: "/" });
