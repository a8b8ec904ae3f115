import { defineConfig } from 'vite';

/** Builds the browser islands (src/web) into dist/web; the server serves them under /assets. */
export default defineConfig({
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    minify: true,
    lib: { entry: 'src/web/map.ts', formats: ['es'], fileName: () => 'map.js' },
  },
  logLevel: 'warn',
});
