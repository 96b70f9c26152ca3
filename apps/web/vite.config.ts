import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In dev the dashboard runs on Vite's port and forwards API paths to the host on :3000,
// so the browser sees one origin and the session cookie works unchanged.
const api = "http://127.0.0.1:3000";
const proxied = ["/trpc", "/api", "/health", "/ready", "/api-docs"];

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: api, changeOrigin: false }])),
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Maps are written for local debugging but not referenced from the bundle; the server never
    // serves *.map (apps/server/src/plugins/dashboard.ts), so the source is not published.
    sourcemap: "hidden",
    // react-dom, react-router and zod alone are ~450 kB; one cached chunk suits an internal dashboard.
    chunkSizeWarningLimit: 700,
  },
});
