import "@fivestep/ui/styles.css";
import type { AppRouter } from "@fivestep/api";
import { I18nProvider, Router } from "@fivestep/ui";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { catalogues } from "./i18n/index.ts";
import { TRPCProvider } from "./trpc.ts";

const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/trpc" })] });

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <I18nProvider catalogues={catalogues}>
          <Router base="/admin/">
            <App />
          </Router>
        </I18nProvider>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
