/**
 * The search island: suggestions under the county search field of every page as the reader
 * types (a combobox: arrow keys move, Enter opens, Escape closes). Without JavaScript the
 * field is a plain GET form to /counties?q=…, which lists the same counties.
 */
interface CountyMatch {
  fips: string;
  name: string;
  state_name: string;
}

function start() {
  const input = document.getElementById('site-q') as HTMLInputElement | null;
  const form = input?.form;
  if (!input || !form) return;
  const list = document.createElement('ul');
  list.id = 'site-q-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Counties');
  list.hidden = true;
  form.append(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');

  let options: CountyMatch[] = [];
  let active = -1;
  let asked = '';

  const show = (i: number) => {
    active = i;
    list.querySelectorAll('li').forEach((li, j) => {
      li.setAttribute('aria-selected', String(j === i));
    });
    if (i >= 0) input.setAttribute('aria-activedescendant', `site-q-${options[i]!.fips}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    show(-1);
  };
  const go = (c: CountyMatch) => {
    window.location.assign(`/counties/${c.fips}`);
  };

  const render = () => {
    list.replaceChildren(
      ...options.map((c, i) => {
        const li = document.createElement('li');
        li.id = `site-q-${c.fips}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = `${c.name}, ${c.state_name}`;
        const code = document.createElement('span');
        code.className = 'kind';
        code.textContent = `FIPS ${c.fips}`;
        li.append(code);
        li.addEventListener('mousedown', (e) => e.preventDefault()); // keep the focus in the field
        li.addEventListener('click', () => go(options[i]!));
        return li;
      }),
    );
    list.hidden = options.length === 0;
    input.setAttribute('aria-expanded', String(options.length > 0));
    show(-1);
  };

  const suggest = async () => {
    const q = input.value.trim();
    asked = q;
    if (!q) {
      options = [];
      render();
      return;
    }
    try {
      const res = await fetch(`/api/v1/jurisdictions?q=${encodeURIComponent(q)}&limit=8`);
      if (!res.ok) return;
      const body = (await res.json()) as { counties: CountyMatch[] };
      if (asked !== q) return; // the reader typed on: a later answer is coming
      options = body.counties;
      render();
    } catch {
      // Offline or refused: the form still submits to /counties.
    }
  };

  input.addEventListener('input', () => {
    void suggest();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && options.length) {
      e.preventDefault();
      if (list.hidden) render();
      show((active + 1) % options.length);
    } else if (e.key === 'ArrowUp' && options.length) {
      e.preventDefault();
      show(active <= 0 ? options.length - 1 : active - 1);
    } else if (e.key === 'Enter' && active >= 0 && !list.hidden) {
      e.preventDefault();
      go(options[active]!);
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
