import { serve } from '@hono/node-server';
import { Command } from 'commander';
import { usageError } from '../errors.js';
import { openStore, type Store } from '../store/store.js';
import { loadDemoIfEmpty } from './demo.js';
import { say } from './output.js';

function parsePort(text: string | undefined): number {
  const port = Number(text ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(
      `--port ${text} is not a port number`,
      'Use a number from 1 to 65535 (0 picks a free one).',
    );
  return port;
}

/** Serves until the process is stopped; the store stays open (DuckDB holds its file lock meanwhile). */
export async function startServer(
  store: Store,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { createApp } = await import('../server/app.js');
  const app = createApp(store);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://localhost:${info.port}/`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

export function serveCommand(getDb: () => string | undefined): Command {
  return new Command('serve')
    .description('serve the web app and the JSON API on localhost (PORT or --port, default 8080)')
    .option('--port <port>', 'the port to listen on (default $PORT or 8080; 0 picks a free one)')
    .option(
      '--demo-if-empty',
      'load the demo data first when the store holds no detainers (what `npm start` does)',
    )
    .action(async (flags: { port?: string; demoIfEmpty?: boolean }) => {
      const port = parsePort(flags.port);
      const store = await openStore(getDb());
      if (flags.demoIfEmpty) await loadDemoIfEmpty(store);
      // Imports an earlier server on this host was running when it stopped will never finish.
      const { failOrphanedJobs } = await import('../ingest/jobs.js');
      const orphans = await failOrphanedJobs(store);
      if (orphans > 0) say(`ddor: ${orphans} import job(s) of a server that stopped were marked failed`);
      const { url } = await startServer(store, port);
      say(`ddor is serving ${store.location} at ${url}  (Ctrl-C stops it)`);
      if (store.openLocalSession) {
        // DuckDB: other ddor commands on this store are carried out here, over a socket beside it.
        const { listenOnStoreSocket } = await import('../store/duckdb/remote.js');
        const socket = await listenOnStoreSocket(store.location, store.openLocalSession);
        if ('skipped' in socket)
          say(`ddor: other commands cannot reach this store while it serves: ${socket.skipped}`);
        else say(`ddor commands on ${store.location} are carried out by this server (socket ${socket.path})`);
      }
      process.stdout.write(`${url}\n`);
      await new Promise(() => {});
    });
}
