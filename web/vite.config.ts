// Build of the browser UI. The server sends a strict CSP (script-src 'self', style-src 'self'),
// so the build must not emit inline scripts or styles: the module-preload polyfill (an inline
// helper in older browsers' code path) is disabled and CSS is always emitted as a file.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
    },
  },
});
