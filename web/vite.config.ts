import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The build lands beside the binary (build/web), where `qingfeng serve` looks
// for it (src/cli/cmd_serve.cc); `npm run dev` proxies the API to a local server.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: process.env.QF_WEB_OUT ?? '../build/web',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Big libraries in their own long-lived chunks; ECharts only loads on
        // the pages that draw charts.
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) {
            return 'echarts'
          }
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) {
            return 'element-plus'
          }
          if (id.includes('node_modules/vue') || id.includes('node_modules/@vue')) return 'vue'
          return undefined
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.QINGFENG_API ?? 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
} as Parameters<typeof defineConfig>[0])
