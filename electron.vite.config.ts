import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      // The LDAP group reader's worker thread is an entry of its own: out/main/group-read-worker.js,
      // beside index.js (main/index.ts points the reader at it).
      lib: {
        entry: { index: resolve(import.meta.dirname, 'main/index.ts'), 'group-read-worker': resolve(import.meta.dirname, 'main/connectors/ldap/group-read-worker.ts') },
        formats: ['es'],
      },
    },
  },
  preload: {
    // A sandboxed preload cannot require() npm packages: bundle everything (it only imports
    // electron and shared/ipc/channels.ts) and emit CommonJS, which a sandboxed preload needs.
    build: {
      externalizeDeps: false,
      lib: { entry: resolve(import.meta.dirname, 'preload/index.ts'), formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: 'index.cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
})
