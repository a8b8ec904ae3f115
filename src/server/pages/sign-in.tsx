/** The sign-in page (a plain form: no JavaScript) and the page a 401 shows, with its way in. */
import type { CurrentUser } from '../../auth/accounts.js';
import { Page } from './layout.js';

export function SignInPage(props: {
  csrf: string;
  next: string;
  user: CurrentUser | null;
  error?: string;
  name?: string;
}) {
  if (props.user) {
    return (
      <Page title="Signed in">
        <h1>Signed in</h1>
        <p>
          You are signed in as <strong>{props.user.name}</strong> ({props.user.role}).
        </p>
        <form method="post" action="/sign-out">
          <input type="hidden" name="csrf" value={props.csrf} />
          <button type="submit">Sign out</button>
        </form>
      </Page>
    );
  }
  return (
    <Page title="Sign in">
      <h1>Sign in</h1>
      <p class="lede">
        For the office's staff: drafts of unpublished reports need an account. Published editions are public.
      </p>
      {props.error ? (
        <p role="alert" class="error">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/sign-in" class="sign-in">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <p>
          <label for="sign-in-name">User name</label>
          <br />
          <input
            id="sign-in-name"
            name="name"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            value={props.name ?? ''}
          />
        </p>
        <p>
          <label for="sign-in-password">Password</label>
          <br />
          <input
            id="sign-in-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
        </p>
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </Page>
  );
}

/** A page that needs a signed-in user, asked for by the public. */
export function SignInNeededPage(props: { message: string; hint: string; path: string }) {
  return (
    <Page title="Sign in needed">
      <h1>Sign in needed</h1>
      <p>{props.message}</p>
      <p class="lede">{props.hint}</p>
      <p>
        <a href={`/sign-in?next=${encodeURIComponent(props.path)}`}>Sign in</a> ·{' '}
        <a href="/editions">Published editions</a>
      </p>
    </Page>
  );
}
