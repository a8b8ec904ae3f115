import { defineConfig } from 'vite';

/**
 * Bundles the command line (src/cli) into dist/cli (what bin/ddor.js runs), with Kysely,
 * commander and the CSV packages inlined: loading Kysely's 263 ES modules one by one costs
 * about 100 ms at every start of `ddor`, one file a fraction of it. Each command stays a
 * chunk of its own (main.ts imports them lazily). DuckDB's JavaScript API (@duckdb/node-api, 180
 * CommonJS files) is inlined too; its native module (@duckdb/node-bindings) loads from
 * node_modules as usual, and so does zod, which @hono/zod-openapi must share.
 */
export default defineConfig({
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    target: 'node20',
    rolldownOptions: { output: { entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js' } },
  },
  ssr: { noExternal: ['kysely', 'commander', 'csv-parse', 'csv-stringify', '@duckdb/node-api'] },
  logLevel: 'warn',
});
