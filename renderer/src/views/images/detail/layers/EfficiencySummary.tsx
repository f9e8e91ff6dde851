import type { Efficiency } from '../../../../../../core/api/layers.schema';
import { formatBytes, formatCount } from '../../../../../../core/text/humanize';

/** dive's score as a percentage: 100 % means no byte is stored twice or stored and then deleted. */
export function efficiencyPercent(score: number): string {
  return `${(Math.floor(score * 1000) / 10).toFixed(1)} %`;
}

/** The image's efficiency and wasted space, and the paths that waste it (largest first, as the engine sorts them). */
export function EfficiencySummary({ efficiency }: { efficiency: Efficiency }) {
  const { score, wastedBytes, userSizeBytes, wasted } = efficiency;
  const tone = score >= 0.95 ? 'good' : score >= 0.8 ? 'fair' : 'poor';
  return (
    <section className="efficiency" aria-label="Efficiency" data-testid="efficiency">
      <dl className="efficiency__figures">
        <div>
          <dt>Efficiency</dt>
          <dd className={`efficiency__score is-${tone}`} data-testid="efficiency-score">
            {efficiencyPercent(score)}
          </dd>
        </div>
        <div>
          <dt>Potential waste</dt>
          <dd data-testid="efficiency-wasted">{formatBytes(wastedBytes)}</dd>
        </div>
        <div>
          <dt title="What every layer but the first holds: the part a Dockerfile controls">User content</dt>
          <dd>{formatBytes(userSizeBytes)}</dd>
        </div>
      </dl>
      {wasted.length > 0 ? (
        <details className="efficiency__paths" data-testid="wasted-paths">
          <summary>
            {formatCount(wasted.length)} {wasted.length === 1 ? 'path is' : 'paths are'} stored more than once
          </summary>
          <div className="efficiency__table">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col" className="is-numeric">
                    Copies
                  </th>
                  <th scope="col" className="is-numeric">
                    Total size
                  </th>
                </tr>
              </thead>
              <tbody>
                {wasted.map((w) => (
                  <tr key={w.path} data-testid="wasted-path">
                    <td>
                      <code className="wrap">/{w.path}</code>
                    </td>
                    <td className="is-numeric">{w.count}</td>
                    <td className="is-numeric">{formatBytes(w.totalSize)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : (
        <p className="efficiency__none muted">No path is stored twice.</p>
      )}
    </section>
  );
}
