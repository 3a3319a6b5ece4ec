import "@fivestep/ui/styles.css";
import type { AppRouter } from "@fivestep/api";
import { type Catalogue, I18nProvider, type Locale, Router } from "@fivestep/ui";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { type ComponentType, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { TRPCProvider } from "./trpc.ts";

/** What `mountApp` needs: the app's root component, its catalogues and the path it is served under. */
export interface MountOptions {
  App: ComponentType;
  catalogues: Record<Locale, Catalogue>;
  /** The path the app is served under, ending in "/" ("/" for the planner, "/admin/" for the console). */
  base: string;
  /** The element to render into (default: `#root`). */
  root?: HTMLElement | null;
}

/**
 * The query client every app uses: answers are fresh for 30 s and a failed read is tried once more.
 *
 * @example const queryClient = createQueryClient();
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } });
}

/**
 * Renders an app with everything around it: the query and tRPC clients (batched calls to `/trpc`),
 * the translation catalogues with the remembered language, and the router under the app's base path.
 *
 * @example mountApp({ App, catalogues, base: "/admin/" });
 */
export function mountApp(options: MountOptions): void {
  const queryClient = createQueryClient();
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/trpc" })] });
  const root = options.root === undefined ? document.getElementById("root") : options.root;
  if (!root) throw new Error("index.html has no #root element");
  const { App } = options;
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <I18nProvider catalogues={options.catalogues}>
            <Router base={options.base}>
              <App />
            </Router>
          </I18nProvider>
        </TRPCProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
