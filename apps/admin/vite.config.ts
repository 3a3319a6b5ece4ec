import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The admin console is served at "/admin/" by @fivestep/server; in development Vite proxies /trpc.
export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  server: { port: 5174, proxy: { "/trpc": "http://127.0.0.1:3000" } },
  build: { outDir: "dist", sourcemap: true },
});
