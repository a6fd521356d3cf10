import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The C server serves dist/ (and the .gz files scripts/gzip.mjs writes) under
// a strict CSP: script-src 'self', no eval, no inline scripts. Vite's
// production output is external module scripts only; keep it that way (no
// plugins that inline scripts into index.html).
export default defineConfig({
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    // `npm run dev` talks to a locally running wenming server.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
})
