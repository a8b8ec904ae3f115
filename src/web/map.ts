/**
 * The map island: on report pages, hovering a county shows its name and
 * figures; clicking it (or Enter on it) opens a panel with its declines and a
 * link to its county page. Without JavaScript the same counties are links to
 * their county pages and carry their figures in <title>.
 */
interface Decline {
  citizenship: string | null;
  issued_date: string;
  declined_date: string | null;
  recorded_date: string | null;
  criminal_activity: Array<{ description: string; kind: string }>;
  lift_reason: string | null;
  received_by: string | null;
}
interface Group {
  county: { fips: string; name: string; state: string };
  facility: string;
  declines: Decline[];
}

const text = (s: string) => {
  const span = document.createElement('span');
  span.textContent = s;
  return span.innerHTML;
};

/**
 * A page shows the map as an <object> of its own URL (links work without JavaScript);
 * the island draws the same SVG into the page, where it can be worked.
 */
async function inlineMap(): Promise<void> {
  const object = document.querySelector<HTMLObjectElement>('object.ddor-map-object');
  if (!object?.data) return;
  const response = await fetch(object.data, { cache: 'force-cache' });
  if (!response.ok) return;
  const holder = document.createElement('div');
  holder.innerHTML = await response.text();
  const svg = holder.querySelector('svg.ddor-map');
  if (svg) object.replaceWith(svg);
}

async function start() {
  await inlineMap().catch(() => {});
  const svg = document.querySelector<SVGSVGElement>('svg.ddor-map');
  const data = document.getElementById('report-data');
  const panel = document.getElementById('county-panel');
  if (!svg || !data || !panel) return;
  const report = JSON.parse(data.textContent ?? '{}') as { section2: Group[] };
  const tooltip = document.createElement('div');
  tooltip.id = 'map-tooltip';
  tooltip.hidden = true;
  document.body.append(tooltip);
  let opener: Element | null = null;

  svg.addEventListener('mousemove', (e) => {
    const path = (e.target as Element).closest('path.county');
    const title = path?.querySelector('title')?.textContent;
    if (!title) {
      tooltip.hidden = true;
      return;
    }
    tooltip.textContent = title;
    tooltip.hidden = false;
    tooltip.style.left = `${e.clientX + 14}px`;
    tooltip.style.top = `${e.clientY + 14}px`;
  });
  svg.addEventListener('mouseleave', () => {
    tooltip.hidden = true;
  });

  const open = (link: Element) => {
    const fips = link.getAttribute('data-fips') ?? '';
    const groups = report.section2.filter((g) => g.county.fips === fips);
    const title = link.querySelector('title')?.textContent ?? fips;
    const rows = groups
      .flatMap((g) =>
        g.declines.map(
          (d) =>
            `<li><strong>${text(g.facility)}</strong><br>${text(d.citizenship ?? 'citizenship not recorded')} · issued ${d.issued_date} · declined ${d.declined_date ?? '—'} · recorded ${d.recorded_date ?? '—'}<br>${text(d.criminal_activity.map((c) => `${c.description} (${c.kind})`).join('; ') || 'no criminal activity recorded')}${d.received_by ? `<br>transferred from ${text(d.received_by)}` : ''}${d.lift_reason ? `<br>lift reason: ${text(d.lift_reason)}` : ''}</li>`,
        ),
      )
      .join('');
    panel.innerHTML = `<button type="button" class="close" aria-label="Close">×</button><h2 tabindex="-1">${text(title.split(' · ')[0] ?? title)}</h2><p>${text(title)}</p>${rows ? `<ol class="declines-list">${rows}</ol>` : '<p>No declines counted in this period.</p>'}<p><a href="${link.getAttribute('href')}">County page: every week, policies, editions</a></p>`;
    panel.hidden = false;
    opener = link;
    panel.querySelector<HTMLElement>('h2')?.focus();
    panel.querySelector('button.close')?.addEventListener('click', close);
  };
  const close = () => {
    panel.hidden = true;
    (opener as HTMLElement | SVGElement | null)?.focus();
  };
  svg.addEventListener('click', (e) => {
    const link = (e.target as Element).closest('a.county-link');
    if (!link) return;
    e.preventDefault();
    open(link);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden) close();
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
