import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// One build, one entry per screen; each app gets its own chunks so /m stays small on phones.
export default defineConfig({
  root: r('./src/web'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: r('./dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        console: r('./src/web/console/index.html'),
        m: r('./src/web/m/index.html'),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
