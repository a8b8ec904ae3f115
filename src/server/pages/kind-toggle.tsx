/**
 * The report page's request-kind toggle (issue 15): links that set `?kind=hold|notification|unknown`
 * (or none, for every request), so it works without JavaScript.
 */
import { REQUEST_KINDS, type RequestKind } from '../../domain/vocab.js';
import { REQUEST_KIND_WORDS } from '../../render/labels.js';
import { HttpError } from '../errors.js';

/** `?kind=` as the page takes it: a request kind, or null for every request. */
export function requestKindOf(value: string | undefined): RequestKind | null {
  if (value === undefined || value === '' || value === 'all') return null;
  if ((REQUEST_KINDS as readonly string[]).includes(value)) return value as RequestKind;
  throw new HttpError(
    400,
    'bad_request',
    `kind=${value} is not a request kind`,
    'Use ?kind=hold, ?kind=notification or ?kind=unknown; leave it out for every request.',
  );
}

export function KindToggle(props: { path: string; edition: string; kind: RequestKind | null }) {
  const href = (kind: RequestKind | null) => {
    const q = [props.edition, kind ? `kind=${kind}` : ''].filter(Boolean).join('&');
    return `/reports/${props.path}${q ? `?${q}` : ''}`;
  };
  const options: Array<[RequestKind | null, string]> = [
    [null, 'All requests'],
    ...REQUEST_KINDS.map((k): [RequestKind, string] => [k, REQUEST_KIND_WORDS[k].toggle]),
  ];
  return (
    <nav class="kind-toggle" aria-label="Request kind">
      Show:{' '}
      {options.map(([k, label], i) => (
        <span key={label}>
          {i > 0 ? ' · ' : null}
          <a href={href(k)} aria-current={props.kind === k ? 'true' : undefined}>
            {label}
          </a>
        </span>
      ))}
    </nav>
  );
}
