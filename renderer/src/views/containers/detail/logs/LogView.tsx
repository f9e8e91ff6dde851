import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useLayoutEffect, useRef } from 'react';
import { highlight, logTime } from './logText';
import type { LogLine } from './useLogStream';

const LINE_HEIGHT = 20;
/** How near the bottom still counts as at the bottom (sub-pixel scroll positions, zoom). */
const BOTTOM_SLACK = 4;

const Line = memo(function Line({ line, search, timestamps }: { line: LogLine; search: string; timestamps: boolean }) {
  const err = line.stream === 'stderr';
  return (
    <div className={`log-line${err ? ' is-stderr' : ''}`} data-testid="log-line" data-stream={line.stream}>
      <span className="log-line__stream" title={line.stream}>
        {err ? 'err' : ''}
      </span>
      {timestamps && (
        <span className="log-line__time" title={line.time}>
          {logTime(line.time)}
        </span>
      )}
      <span className="log-line__text">
        {highlight(line.text, search).map((s, i) =>
          // biome-ignore lint/suspicious/noArrayIndexKey: the segments of one line, in order, never reordered
          s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
        )}
      </span>
    </div>
  );
});

/**
 * The lines, virtualized at a fixed line height (thousands scroll like ten; long lines scroll
 * sideways rather than wrap). With `follow`, every new line brings the view to the bottom;
 * scrolling up by hand turns following off, as a terminal does.
 */
export function LogView({
  lines,
  search,
  timestamps,
  follow,
  onFollowChange,
  label,
}: {
  lines: LogLine[];
  search: string;
  timestamps: boolean;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  label: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 20,
    getItemKey: (index) => lines[index]?.seq ?? index,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();

  // After the new height is in the DOM and before the browser paints: no frame at the old position.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (follow && el && lines.length > 0) el.scrollTop = el.scrollHeight;
  }, [follow, lines]);

  const first = items[0];
  const last = items.at(-1);
  return (
    <div
      ref={scrollRef}
      className="log-view"
      role="log"
      aria-label={label}
      // Lines stream in several times a second: a screen reader reads them when asked, not each as it comes.
      aria-live="off"
      data-testid="log-view"
      onScroll={(e) => {
        const el = e.currentTarget;
        const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
        if (atBottom !== follow) onFollowChange(atBottom);
      }}
    >
      {/* Rows in the normal flow between two spacers, so the widest line in view sets the scroll width. */}
      <div
        className="log-view__lines"
        style={{ paddingTop: first?.start ?? 0, paddingBottom: last ? total - last.end : 0, minHeight: total }}
      >
        {items.map((item) => {
          const line = lines[item.index];
          return line ? <Line key={line.seq} line={line} search={search} timestamps={timestamps} /> : null;
        })}
      </div>
    </div>
  );
}
