import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development, /api and /healthz go to a mnemos server on :8080 (`make run`).
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:8080', '/ws': { target: 'ws://localhost:8080', ws: true } },
  },
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 900 },
});
