/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The API server for `npm run dev` (the wenjiu demo by default).
const apiTarget = process.env.WENJIU_API ?? 'http://127.0.0.1:18081'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: only the components (and their styles) a page uses are bundled,
    // into that page's lazy chunk. ElMessage/ElMessageBox are imported in src/utils/feedback.ts.
    Components({
      resolvers: [ElementPlusResolver()],
      dts: 'components.d.ts',
      dirs: [],
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    // Components resolved on demand import Element Plus's CSS: let Vite (not Node) load the package.
    server: { deps: { inline: ['element-plus'] } },
  },
})
