import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type PluginOption } from 'vite';

// The plugins are hoisted to the root node_modules and typed against the vite 8 that vitest
// brings there, while this package builds with its own vite 7. They work with both at run
// time; only their declared hook types differ, hence the cast.
const plugins = [react(), tailwindcss()] as unknown as PluginOption[];

export default defineConfig({
  plugins,
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
