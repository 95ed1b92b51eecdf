/**
 * The staff console's build: React + TSX compiled by Vite's own Oxc transform (no React plugin:
 * the automatic JSX runtime is all it needs), bundled into console/dist, which the server serves
 * at `/`. Paths are relative to the project root, where npm scripts run.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'console',
  base: '/',
  // console/public is copied as is: assets/sw.js, the Web Push service worker (served by /assets like the bundle).
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP allows scripts from 'self' only: no inline preload polyfill.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
    sourcemap: false,
  },
  logLevel: 'warn',
});
