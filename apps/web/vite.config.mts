import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is served by the API at `/` (see apps/api/src/web). No React plugin: Vite's own
 * transform (oxc) compiles TSX with the automatic runtime. `npm run dev:web` proxies the API.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, modulePreload: { polyfill: false } },
  server: {
    proxy: Object.fromEntries(['/v1', '/storage', '/docs'].map((p) => [p, process.env.HEIMDEX_API ?? 'http://127.0.0.1:3000'])),
  },
});
