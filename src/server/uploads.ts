/**
 * Uploads of import files, streamed to disk and never held in memory whole: the
 * API's raw request body, or the import page's multipart form (busboy), whose
 * CSRF token must arrive, as the form's first field, before any byte of the file
 * is written. Each upload gets a temporary folder of its own (temp-files.ts),
 * named after the file as sent, so rejections name the user's file.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { sameSecret } from '../auth/passwords.js';
import { makeTempDir, removeTempDir } from '../temp-files.js';
import { CSRF_COOKIE } from './auth.js';
import { HttpError } from './errors.js';

/** The largest upload accepted: 2 GiB, as the largest workbook ddor reads. */
export const UPLOAD_LIMIT_BYTES = 2 * 1024 ** 3;

export interface Upload {
  /** The file on disk (its folder is removed with `discard`). */
  path: string;
  name: string;
  bytes: number;
  /** The form's other fields (multipart only). */
  fields: Record<string, string>;
  discard(): void;
}

/** A file name as sent, reduced to a safe base name. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^\p{L}\p{N}._ -]/gu, '_')
    .replace(/^\.+/, '')
    .slice(0, 200);
  return cleaned || 'upload';
}

const tooLarge = () =>
  new HttpError(
    413,
    'payload_too_large',
    `the upload is larger than ${UPLOAD_LIMIT_BYTES.toLocaleString('en-US')} bytes`,
    'Split the file, or import it with the CLI on the machine that holds the store.',
  );

/** Counts bytes and stops the stream past the limit. */
function limiter(count: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      count.bytes += chunk.length;
      if (count.bytes > UPLOAD_LIMIT_BYTES) done(tooLarge());
      else done(null, chunk);
    },
  });
}

function bodyStream(c: Context): Readable {
  const body = c.req.raw.body;
  if (!body) throw new HttpError(400, 'bad_request', 'the request has no body', 'Send the file as the body.');
  return Readable.fromWeb(body as unknown as WebReadableStream);
}

/** The API's upload: the request body is the file. */
export async function rawUpload(c: Context, name: string): Promise<Upload> {
  const dir = makeTempDir('upload');
  const fileName = safeFileName(name);
  const path = join(dir, fileName);
  const count = { bytes: 0 };
  try {
    await pipeline(bodyStream(c), limiter(count), createWriteStream(path));
  } catch (error) {
    removeTempDir(dir);
    throw error instanceof HttpError
      ? error
      : new HttpError(400, 'bad_request', 'the upload was cut off', 'Send the whole file again.');
  }
  if (count.bytes === 0) {
    removeTempDir(dir);
    throw new HttpError(400, 'bad_request', 'the uploaded file is empty', 'Send the file as the body.');
  }
  return { path, name: fileName, bytes: count.bytes, fields: {}, discard: () => removeTempDir(dir) };
}

/** The import page's multipart form: fields, then one file; the CSRF field first. */
export async function formUpload(c: Context): Promise<Upload> {
  const type = c.req.header('Content-Type') ?? '';
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': type },
      limits: { files: 1, fileSize: UPLOAD_LIMIT_BYTES, fields: 20 },
    });
  } catch {
    throw new HttpError(
      400,
      'bad_request',
      'the form is not multipart/form-data',
      'Use the import page’s form.',
    );
  }
  const cookie = getCookie(c, CSRF_COOKIE);
  const dir = makeTempDir('upload');
  const fields: Record<string, string> = {};
  const count = { bytes: 0 };
  let file: { path: string; name: string; done: Promise<void> } | null = null;
  const csrfBad = () =>
    new HttpError(
      403,
      'forbidden',
      "the form's security token is missing or does not match",
      'Reload the page and submit the form again (ddor needs cookies to be allowed for this site).',
    );
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('field', (name, value) => {
        fields[name] = value;
      });
      parser.on('file', (_name, stream, info) => {
        if (!cookie || !fields.csrf || !sameSecret(cookie, fields.csrf)) {
          stream.resume();
          reject(csrfBad());
          return;
        }
        if (file) {
          stream.resume();
          return;
        }
        const name = safeFileName(info.filename);
        const path = join(dir, name);
        const done = pipeline(stream, limiter(count), createWriteStream(path)).then(() => {
          if ((stream as { truncated?: boolean }).truncated) throw tooLarge();
        });
        done.catch(reject);
        file = { path, name, done };
      });
      parser.on('error', reject);
      parser.on('close', () => resolve());
      bodyStream(c).on('error', reject).pipe(parser);
    });
    const received = file as { path: string; name: string; done: Promise<void> } | null;
    if (!received) {
      if (!cookie || !fields.csrf || !sameSecret(cookie, fields.csrf)) throw csrfBad();
      throw new HttpError(400, 'bad_request', 'no file was chosen', 'Choose the file to import.');
    }
    await received.done;
    if (count.bytes === 0)
      throw new HttpError(400, 'bad_request', 'the chosen file is empty', 'Choose the file to import.');
    return {
      path: received.path,
      name: received.name,
      bytes: count.bytes,
      fields,
      discard: () => removeTempDir(dir),
    };
  } catch (error) {
    removeTempDir(dir);
    throw error instanceof HttpError
      ? error
      : new HttpError(
          400,
          'bad_request',
          'the upload was cut off or malformed',
          'Choose the file and send the form again.',
        );
  }
}
