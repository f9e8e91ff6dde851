import { useId, useState } from 'react';
import { formatCount } from '../../../../core/text/humanize';
import { ProgressBar } from '../../components/ProgressBar';
import { PullIcon } from '../../components/transferIcons';
import { sentence } from '../../components/useSubmit';
import { useTags } from '../../queries/registryQueries';
import { startPull } from '../../queries/transferActions';
import { useTransfer } from '../../state/transferStore';
import { transferTotals } from '../transfers/transferStats';

/** A repository's tags, each pulled with one click (this machine's platform), its progress shown in the row. */
export function TagList({ host, repository }: { host: string; repository: string }) {
  const name = `${host}/${repository}`;
  const tags = useTags(name);
  // The pull each tag started here, to show how it goes.
  const [pulls, setPulls] = useState<Record<string, string>>({});
  const headingId = useId();

  return (
    <section className="repo-browser__tags" aria-labelledby={headingId} data-testid="tag-list">
      <div className="repo-browser__head">
        <h3 id={headingId}>
          Tags of <code>{repository}</code>
        </h3>
        {tags.data?.ok && <span className="count">{formatCount(tags.data.value.tags.length)}</span>}
        <button
          type="button"
          className="button button--small repo-browser__refresh"
          disabled={tags.isFetching}
          onClick={() => void tags.refetch()}
        >
          {tags.isFetching ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      {tags.isPending ? (
        <p className="repo-browser__note">Loading tags…</p>
      ) : tags.isError ? (
        <p className="repo-browser__note">The tags could not be asked for.</p>
      ) : !tags.data.ok ? (
        <p className="notice" role="alert" data-testid="tags-error">
          {sentence(tags.data.message)}.
        </p>
      ) : tags.data.value.tags.length === 0 ? (
        <p className="repo-browser__note">This repository has no tags.</p>
      ) : (
        <ul className="tag-list">
          {tags.data.value.tags.map((tag) => (
            <TagRow
              key={tag}
              tag={tag}
              reference={`${name}:${tag}`}
              transferId={pulls[tag] ?? null}
              onPull={() => {
                const { transferId } = startPull({ ref: `${name}:${tag}` });
                setPulls((p) => ({ ...p, [tag]: transferId }));
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function TagRow({
  tag,
  reference,
  transferId,
  onPull,
}: {
  tag: string;
  reference: string;
  transferId: string | null;
  onPull: () => void;
}) {
  const transfer = useTransfer(transferId);
  const running = transfer?.state === 'running';
  const totals = transfer ? transferTotals(transfer) : null;
  return (
    <li className="tag-list__row" data-testid="tag-row" data-tag={tag}>
      <span className="tag">{tag}</span>
      <span className="tag-list__status" data-testid="tag-status">
        {running && totals && (
          <ProgressBar value={totals.percent} label={`Pulling ${reference}`} size="thin" testId="tag-progress" />
        )}
        {transfer?.state === 'done' && <span className="tone-success">Pulled</span>}
        {transfer?.state === 'failed' && (
          <span className="tone-danger tag-list__error" title={transfer.error ?? undefined}>
            Failed{transfer.error ? `: ${transfer.error}` : ''}
          </span>
        )}
        {transfer?.state === 'cancelled' && <span className="muted">Cancelled</span>}
      </span>
      <button
        type="button"
        className="button button--small button--with-icon"
        disabled={running}
        aria-label={`Pull ${reference}`}
        data-testid="tag-pull"
        onClick={onPull}
      >
        <PullIcon width={14} height={14} />
        {running ? 'Pulling…' : 'Pull'}
      </button>
    </li>
  );
}
