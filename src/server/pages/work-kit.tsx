/**
 * The office's page frame and the small parts every office page uses: the navigation,
 * the CSRF field, notices, the form reader and the redirect with a note.
 */
import type { Context } from 'hono';
import { html, Page } from './layout.js';

export function WorkPage(props: { title: string; user: string; children: preact.ComponentChildren }) {
  return (
    <Page title={props.title} current="work">
      <nav aria-label="Office" class="work-nav">
        <a href="/work">Office</a>
        <a href="/work/import">Import</a>
        <a href="/work/queue">Resolution queue</a>
        <a href="/work/detainers">Record an outcome</a>
        <a href="/work/proposals">Proposals</a>
        <a href="/work/disputes">Disputes</a>
        <a href="/work/audit">Audit trail</a>
        <a href="/work/users">Users</a>
        <span> · signed in as {props.user}</span>
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </Page>
  );
}

export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="csrf" value={token} />;

export function Notice({ text, alert }: { text?: string | null; alert?: boolean }) {
  if (!text) return null;
  return (
    <p class={alert ? 'alert' : 'notice'} role={alert ? 'alert' : 'status'}>
      {text}
    </p>
  );
}

export const formText = (v: unknown) => (typeof v === 'string' ? v : '');

export async function form(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, formText(v)]));
}

export const back = (c: Context, path: string, message: string) =>
  c.redirect(`${path}${path.includes('?') ? '&' : '?'}done=${encodeURIComponent(message)}`, 303);

/** A short note passed back after a form (never HTML: rendered as text). */
export const doneNote = (c: Context) => (c.req.query('done') ?? '').slice(0, 300) || null;

/** An office page: never kept by a cache, titled, with the signed-in user named. */
export const page = (c: Context, title: string, body: preact.ComponentChildren, status = 200) => {
  c.header('Cache-Control', 'no-store');
  return c.html(
    html(
      <WorkPage title={title} user={`${c.get('user')!.name} (${c.get('user')!.role})`}>
        {body}
      </WorkPage>,
    ),
    status as 200,
  );
};
