/**
 * The CLI while `ddor serve` holds a DuckDB store. DuckDB lets one process open a
 * store file, so the server listens on a Unix socket beside it (`<store>.sock`,
 * mode 0600: only the file's owner, and root, can connect) and opens one DuckDB
 * connection of its own for each socket connection. A CLI command that finds the
 * socket runs exactly as it would on the file, but each statement is carried out by
 * the server on that connection: the same queries, transactions, temp tables and
 * staging, so the same output, exit codes and audit rows (the CLI's actor, its OS
 * user). A client that dies mid-transaction closes its socket; the server then
 * closes the connection and DuckDB rolls the transaction back.
 *
 * Wire format: one JSON object a line each way. Requests `{id, op, sql, params}`
 * (op `query`, or `interrupt` without an id), answers `{id, rows, changed}` or
 * `{id, error}`. Values are plain JSON (the session's own conversions, toJs).
 */
import { chmodSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Row } from '../sql-session.js';
import type { DuckSession } from './session.js';

/** Where a store's socket lives: beside the file. */
export const socketPathOf = (storePath: string) => `${storePath}.sock`;

/** Unix sockets' path limit (sun_path) on Linux, less the terminating NUL. */
const MAX_SOCKET_PATH = 107;

interface Request {
  id?: number;
  op: 'query' | 'interrupt';
  sql?: string;
  params?: unknown[];
}

interface Answer {
  id: number;
  rows?: Row[];
  changed?: number | null;
  error?: string;
}

/** Splits a stream into lines and hands each to `onLine`. */
function lines(socket: Socket, onLine: (line: string) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
      nl = buffered.indexOf('\n');
    }
  });
}

/** A DuckDB session carried out by the server at the other end of a socket. */
export class RemoteDuckSession implements DuckSession {
  readonly dialect = 'duckdb' as const;
  #next = 1;
  readonly #pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  #closed: Error | null = null;

  private constructor(private readonly socket: Socket) {
    lines(socket, (line) => {
      const answer = JSON.parse(line) as Answer;
      const waiting = this.#pending.get(answer.id);
      this.#pending.delete(answer.id);
      waiting?.resolve(answer);
    });
    const fail = (error: Error) => {
      this.#closed ??= error;
      for (const w of this.#pending.values()) w.reject(this.#closed);
      this.#pending.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('ddor: the server holding the store closed the connection')));
  }

  /** Connects to a server's socket; rejects when nothing listens there. */
  static connect(path: string): Promise<RemoteDuckSession> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new RemoteDuckSession(socket));
      });
      socket.once('error', reject);
    });
  }

  async query<T extends Row = Row>(
    sql: string,
    params: unknown[] = [],
  ): Promise<{ rows: T[]; changed?: number }> {
    if (this.#closed) throw this.#closed;
    const id = this.#next++;
    const answer = await new Promise<Answer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ id, op: 'query', sql, params } satisfies Request)}\n`);
    });
    if (answer.error !== undefined) throw new Error(answer.error);
    return answer.changed === null || answer.changed === undefined
      ? { rows: (answer.rows ?? []) as T[] }
      : { rows: (answer.rows ?? []) as T[], changed: answer.changed };
  }

  async all<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.query(sql, params)).changed ?? 0;
  }

  interrupt(): void {
    if (!this.#closed) this.socket.write(`${JSON.stringify({ op: 'interrupt' } satisfies Request)}\n`);
  }

  close(): void {
    this.socket.end();
  }
}

/** Whether a live server answers at `path` (a socket left by a killed server does not). */
export async function liveSocket(path: string): Promise<RemoteDuckSession | null> {
  if (!existsSync(path)) return null;
  try {
    return await RemoteDuckSession.connect(path);
  } catch {
    return null;
  }
}

export interface StoreSocket {
  path: string;
  close(): Promise<void>;
}

/**
 * Listens on the store's socket and serves each connection from a DuckDB session
 * of its own (`open`). Returns null, with the reason, when no socket can be made
 * (a path over the kernel's limit): the server then runs without one.
 */
export async function listenOnStoreSocket(
  storePath: string,
  open: () => Promise<DuckSession>,
): Promise<StoreSocket | { skipped: string }> {
  const path = socketPathOf(storePath);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH)
    return { skipped: `the socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes` };
  if (existsSync(path)) {
    // We hold the store's lock, so no server answers there: a socket left by a killed one.
    if (lstatSync(path).isSocket()) unlinkSync(path);
    else return { skipped: `${path} exists and is not a socket` };
  }
  const connections = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    const session = open();
    let chain: Promise<unknown> = Promise.resolve();
    let running: DuckSession | null = null;
    lines(socket, (line) => {
      let request: Request;
      try {
        request = JSON.parse(line) as Request;
      } catch {
        socket.destroy();
        return;
      }
      if (request.op === 'interrupt') {
        running?.interrupt();
        return;
      }
      // One statement at a time per connection, in the order sent.
      chain = chain.then(async () => {
        const s = await session;
        running = s;
        let answer: Answer;
        try {
          const { rows, changed } = await s.query(String(request.sql), request.params ?? []);
          answer = { id: Number(request.id), rows, changed: changed ?? null };
        } catch (error) {
          answer = { id: Number(request.id), error: error instanceof Error ? error.message : String(error) };
        } finally {
          running = null;
        }
        if (!socket.destroyed) socket.write(`${JSON.stringify(answer)}\n`);
      });
    });
    const closeSession = () => {
      connections.delete(socket);
      // After its last statement: closing the connection rolls back an open transaction.
      chain = chain.then(async () => (await session).close()).catch(() => {});
    };
    socket.on('close', closeSession);
    socket.on('error', () => socket.destroy());
  });
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.destroy();
        server.close(() => resolve());
      }),
  };
}
