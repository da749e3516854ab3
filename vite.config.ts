import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Dev server only: each app is a single page with its own index.html, so a deep link such as
 * /console/geo or /m/mine gets that app's page (as the real server does), not a 404. Paths
 * with a file extension (modules, styles, icons) are left to Vite.
 */
function appFallback(): Plugin {
  return {
    name: 'gongzhi-app-fallback',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') return next();
        const { pathname, search } = new URL(req.url ?? '/', 'http://localhost');
        const app = /^\/(console|m)(?:\/|$)/.exec(pathname)?.[1];
        const file = pathname.slice(pathname.lastIndexOf('/') + 1);
        if (app && !file.includes('.')) req.url = `/${app}/index.html${search}`;
        next();
      });
    },
  };
}

// One build, one entry per screen; each app gets its own chunks so /m stays small on phones.
export default defineConfig({
  root: r('./src/web'),
  base: '/',
  plugins: [react(), appFallback()],
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
    proxy: {
      '/api': {
        target: 'http://localhost:3000',
        // src/web/api/*.ts are the apps' own modules (Vite serves them); the rest is the server's.
        bypass: (req) => (/^\/api\/[^?]*\.tsx?(\?|$)/.test(req.url ?? '') ? req.url : undefined),
      },
    },
  },
});
