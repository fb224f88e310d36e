// Builds the renderer (src-renderer/index.html) into dist/renderer with relative asset paths,
// so the same files load from file:// in Electron and from the headless node's HTTP server.
// `npm run dev:renderer` proxies the API to a running node.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = `http://127.0.0.1:${process.env.HASHLOCK_API_PORT ?? 7420}`;

// Same policy the node's HTTP server and the Electron shell send as a header (RENDERER_CSP in
// src-main/api/server.ts); as a meta tag it also holds where no header is sent. Build only:
// the dev server needs an inline script for React refresh. frame-ancestors is header-only.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function cspMetaTag(): Plugin {
  return {
    name: 'hashlock-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  publicDir: false,
  plugins: [react(), cspMetaTag()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Never inline assets as data: URLs; everything is a file the CSP allows as 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [repoRoot] },
    proxy: {
      // Exact paths (keys starting with ^ are regular expressions): a plain '/api/ws' prefix would
      // also swallow the renderer's own module /api/ws-client.ts. The node checks Host and Origin
      // against DNS rebinding, so the proxied request is presented as the node's own.
      '^/api/ws$': { target: apiTarget, ws: true, changeOrigin: true, headers: { origin: apiTarget } },
      '^/rpc$': { target: apiTarget, changeOrigin: true, headers: { origin: apiTarget } },
    },
  },
});
