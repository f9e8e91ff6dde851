import type { ContainerSummary } from '../../../../../../core/api/containers.schema';
import { useContainerChanges } from '../../../../queries/containerFileQueries';

const kindLabel = { A: 'Added', C: 'Changed', D: 'Deleted' } as const;

/** docker diff: what the container added, changed and deleted against its image, by path. */
export function ContainerChanges({ container }: { container: ContainerSummary }) {
  const changes = useContainerChanges(container.id, container.state === 'running');
  return (
    <section className="container-changes" aria-label="Changes against the image" data-testid="container-changes">
      <h2 className="container-changes__title">Changes against the image</h2>
      {changes.isPending ? (
        <p className="container-changes__note">Comparing…</p>
      ) : changes.isError ? (
        <p className="container-changes__note is-error" role="alert">
          {changes.error.message}
        </p>
      ) : changes.data.length === 0 ? (
        <p className="container-changes__note">None: its files are the image’s.</p>
      ) : (
        <ul className="container-changes__list">
          {changes.data.map((c) => (
            <li key={`${c.kind}${c.path}`} className={`container-change container-change--${c.kind}`}>
              <abbr className="container-change__kind" title={kindLabel[c.kind]}>
                {c.kind}
              </abbr>{' '}
              <code title={c.path}>{c.path}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
