/**
 * Where a county's figures come from (issue 11): the imports whose records are
 * behind them — files and manual entries, who loaded them and when — and the
 * facilities attributed to it by hand. What a listed jurisdiction needs to check
 * a published figure against the records.
 */
import type { CountyResolution, CountySource } from '../../report/queries.js';

const num = (n: number) => n.toLocaleString('en-US');

export function CountySources(props: {
  imports: CountySource[];
  resolutions: CountyResolution[];
  county: string;
}) {
  return (
    <section aria-labelledby="sources-h">
      <h2 id="sources-h">Where these figures come from</h2>
      {props.imports.length === 0 ? (
        <p>No record of {props.county} is stored.</p>
      ) : (
        <table class="work">
          <caption>
            The imports whose records of {props.county} the figures count (each record as its latest import
            left it; earlier versions are kept in the history)
          </caption>
          <thead>
            <tr>
              <th scope="col">Import</th>
              <th scope="col">File or entry</th>
              <th scope="col">Loaded</th>
              <th scope="col">By</th>
              <th scope="col">Records of this county</th>
            </tr>
          </thead>
          <tbody>
            {props.imports.map((i) => (
              <tr key={i.import_id}>
                <td>#{i.import_id}</td>
                <td>
                  {i.file_name}
                  {i.is_demo ? ' (demo data)' : ''}
                </td>
                <td>{i.imported_at.slice(0, 10)}</td>
                <td>{i.by ?? 'before the audit trail'}</td>
                <td>{num(i.records)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.resolutions.length > 0 ? (
        <>
          <h3>Facilities attributed here by hand</h3>
          <ul>
            {props.resolutions.map((r) => (
              <li key={r.facility}>
                {r.facility}: by {r.by ?? 'an earlier version of ddor'} on {r.at.slice(0, 10)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
