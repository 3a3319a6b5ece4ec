import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The planner is served at "/" by @fivestep/server; in development Vite proxies /trpc to it.
export default defineConfig({
  base: "/",
  plugins: [react()],
  server: { port: 5173, proxy: { "/trpc": "http://127.0.0.1:3000" } },
  build: { outDir: "dist", sourcemap: true },
});
