import { memo } from 'react';
import type { BuildSummary } from '../../../../core/api/builds.schema';
import { RelativeTime } from '../../components/RelativeTime';
import { BuildDuration } from './BuildDuration';
import { BuildStatePill } from './BuildStatePill';
import { buildName } from './buildName';
import { stepCountText } from './buildTime';

/** One build in the history; its name opens the detail. */
export const BuildRow = memo(function BuildRow({
  build,
  rowIndex,
  top,
  onOpen,
}: {
  build: BuildSummary;
  /** aria-rowindex: 1 is the header. */
  rowIndex: number;
  top: number;
  onOpen: (id: string) => void;
}) {
  const name = buildName(build);
  const more = build.tags.length - 1;
  return (
    <tr
      aria-rowindex={rowIndex}
      className={`build-row is-${build.state}`}
      data-testid="build-row"
      data-id={build.buildId}
      style={{ transform: `translateY(${top}px)` }}
    >
      <td className="build-row__name">
        <span className="build-row__title">
          <button
            type="button"
            className="link-button"
            title={`Open the build of ${name}: its steps and their output`}
            data-testid="build-open"
            onClick={() => onOpen(build.buildId)}
          >
            {name}
          </button>
          {more > 0 && <span className="badge">+{more}</span>}
          {build.tags.length === 0 && <span className="badge">untagged</span>}
        </span>
        <span className="build-row__context" title={build.contextDir}>
          {build.contextDir}
        </span>
      </td>
      <td>
        <BuildStatePill state={build.state} />
      </td>
      <td className="build-row__muted">
        <RelativeTime iso={build.startedAt} />
      </td>
      <td className="build-row__muted is-numeric">
        <BuildDuration build={build} />
      </td>
      <td className="build-row__muted" data-testid="build-steps-count">
        {stepCountText(build)}
      </td>
    </tr>
  );
});
