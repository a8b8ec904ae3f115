import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { Command } from 'commander';
import { usageError } from '../errors.js';
import { type AppOptions, closeApp } from '../server/options.js';
import { parsePublicUrl, publicUrlFromEnv } from '../server/public-url.js';
import { BASELINE_HEADERS, MAX_HEADER_BYTES } from '../server/security.js';
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

/** The address to listen on: `HOST`, else loopback only. */
export function listenHost(): string {
  return process.env.HOST?.trim() || '127.0.0.1';
}

/** How a URL names `host` (IPv6 in brackets; any-address as localhost). */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '127.0.0.1') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * A request Node refuses before the app sees it (a request line and headers over
 * MAX_HEADER_BYTES, a malformed request) still gets the one error shape, not an empty reply.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, reason, message, hint] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'request_header_fields_too_large',
          'Request Header Fields Too Large',
          `the request's URL and headers are longer than ${MAX_HEADER_BYTES} bytes`,
          'Send a shorter URL and fewer or shorter headers (cookies included).',
        ]
      : error.code === 'HPE_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'Request Timeout', 'the request took too long to arrive', 'Send it again.']
        : [
            400,
            'bad_request',
            'Bad Request',
            'the request is not valid HTTP',
            'Send a well-formed HTTP/1.1 request.',
          ];
  const body = JSON.stringify({ error: { status, code, message, hint } });
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    ...BASELINE_HEADERS,
  };
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n${body}`,
  );
}

export interface ServerOptions extends AppOptions {
  /** The address to listen on (default: `listenHost()`). */
  host?: string;
}

/** The public URL given, else DDOR_PUBLIC_URL, else the address the server listens on, as it prints it. */
function publicUrlFor(options: ServerOptions, listening: () => string): () => string {
  const given = options.publicUrl;
  if (typeof given === 'function') return given;
  const fixed = given === undefined ? publicUrlFromEnv('') : parsePublicUrl(given);
  return () => fixed || listening();
}

/** Serves until closed; the store stays open (DuckDB holds its file lock meanwhile). */
export async function startServer(
  store: Store,
  port: number,
  options: ServerOptions = {},
): Promise<{ url: string; publicUrl: string; close: () => Promise<void> }> {
  const { createApp } = await import('../server/app.js');
  const host = options.host ?? listenHost();
  let listening = '';
  const publicUrl = publicUrlFor(options, () => listening);
  const app = createApp(store, { ...options, publicUrl });
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port, hostname: host, serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } },
      (info) => {
        listening = `http://${urlHost(host)}:${info.port}`;
        resolve({
          url: `${listening}/`,
          publicUrl: publicUrl(),
          close: async () => {
            await new Promise<void>((r) => {
              server.close(() => r());
              (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
            });
            await closeApp(app);
          },
        });
      },
    );
    server.on('clientError', answerClientError);
    server.once('error', reject);
  });
}

export function serveCommand(getDb: () => string | undefined): Command {
  return new Command('serve')
    .description('serve the web app and the JSON API (HOST, default loopback; PORT or --port, default 8080)')
    .option('--port <port>', 'the port to listen on (default $PORT or 8080; 0 picks a free one)')
    .option(
      '--public-url <url>',
      'the address readers reach the site at, for the absolute links of feeds, embeds, oEmbed and citations (default $DDOR_PUBLIC_URL, else http://localhost:PORT)',
    )
    .option(
      '--demo-if-empty',
      'load the demo data first when the store holds no detainers (what `npm start` does)',
    )
    .action(async (flags: { port?: string; publicUrl?: string; demoIfEmpty?: boolean }) => {
      const port = parsePort(flags.port);
      const publicUrl = flags.publicUrl === undefined ? undefined : parsePublicUrl(flags.publicUrl);
      const store = await openStore(getDb());
      if (flags.demoIfEmpty) await loadDemoIfEmpty(store);
      // Imports an earlier server on this host was running when it stopped will never finish.
      const { failOrphanedJobs } = await import('../ingest/jobs.js');
      const orphans = await failOrphanedJobs(store);
      if (orphans > 0) say(`ddor: ${orphans} import job(s) of a server that stopped were marked failed`);
      const server = await startServer(store, port, { publicUrl });
      say(`ddor is serving ${store.location} at ${server.url}  (Ctrl-C stops it)`);
      if (server.publicUrl !== server.url.replace(/\/$/, ''))
        say(`ddor: feeds, embeds and citations link to ${server.publicUrl}`);
      let socket: { close(): Promise<void> } | null = null;
      if (store.openLocalSession) {
        // DuckDB: other ddor commands on this store are carried out here, over a socket beside it.
        const { listenOnStoreSocket } = await import('../store/duckdb/remote.js');
        const listening = await listenOnStoreSocket(store.location, store.openLocalSession);
        if ('skipped' in listening)
          say(`ddor: other commands cannot reach this store while it serves: ${listening.skipped}`);
        else {
          socket = listening;
          say(`ddor commands on ${store.location} are carried out by this server (socket ${listening.path})`);
        }
      }
      process.stdout.write(`${server.url}\n`);
      // SIGTERM (a service manager, a container stop) and Ctrl-C: stop taking requests, let
      // the ones under way finish, close the socket, the browser and the store, then exit.
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          say(`ddor: ${signal}, closing the server and the store`);
          (socket?.close() ?? Promise.resolve())
            .then(() => server.close())
            .then(() => store.close())
            .then(resolve, (error) => {
              console.error(error);
              process.exitCode = 3;
              resolve();
            });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
