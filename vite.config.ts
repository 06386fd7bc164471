import tailwindcss from "@tailwindcss/vite";
import { tanstackStart } from "@tanstack/react-start/plugin/vite";
import viteReact from "@vitejs/plugin-react";
import { nitro } from "nitro/vite";
import { defineConfig } from "vite";

export default defineConfig({
  server: { port: 3000 },
  build: {
    rolldownOptions: {
      // React Router's "use client" markers mean nothing without RSC; hide the noise.
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  plugins: [
    tailwindcss(),
    tanstackStart(),
    nitro({
      serverDir: "./server",
      features: { websocket: true },
      // Our own production entry owns the Node HTTP server: it sets ws
      // maxPayload, HTTP timeouts and graceful shutdown, which Nitro's
      // node-server preset does not expose (see docs/ARCHITECTURE.md).
      entry: "./server/entry.ts",
    }),
    viteReact(),
  ],
});
