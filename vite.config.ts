import { defineConfig } from 'vite';

/** Builds the browser islands (src/web) into dist/web; the server serves them under /assets. */
export default defineConfig({
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    minify: true,
    lib: {
      entry: { map: 'src/web/map.ts', search: 'src/web/search.ts', scroll: 'src/web/scroll.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
  logLevel: 'warn',
});
