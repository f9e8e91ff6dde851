import { useLayoutEffect, useRef, useState } from 'react';
import { middleTruncate } from './middleTruncate';

let canvas: CanvasRenderingContext2D | null | undefined;
/** The font last given to the canvas: setting one parses it again (~60 µs), measuring is ~3 µs. */
let canvasFont: string | undefined;

/** The width `text` takes in `font` (a computed CSS font), measured as the page draws it. */
function textWidth(text: string, font: string): number {
  canvas ??= document.createElement('canvas').getContext('2d');
  if (!canvas) return 0;
  if (font !== canvasFont) {
    canvas.font = font;
    canvasFont = font;
  }
  return canvas.measureText(text).width;
}

/**
 * A name shown whole when it fits, else cut in its middle (middleTruncate.ts), keeping its end
 * from `keepFrom`; the full name on hover. It measures its own box, so it follows a column that
 * narrows (a detail opening beside the list).
 */
export function MiddleTruncated({
  text,
  keepFrom,
  className,
  testId,
}: {
  text: string;
  keepFrom: number;
  className?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLSpanElement>(null);
  const [shown, setShown] = useState(text);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      const width = el.clientWidth;
      if (width === 0) return setShown(text);
      const font = getComputedStyle(el).font;
      // Half a pixel of slack: the canvas and the layout round differently.
      setShown(middleTruncate(text, keepFrom, (candidate) => textWidth(candidate, font) <= width - 0.5));
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => observer.disconnect();
  }, [text, keepFrom]);
  return (
    <span ref={ref} className={`middle-truncated${className ? ` ${className}` : ''}`} title={text} data-testid={testId}>
      {shown}
    </span>
  );
}

/** Where a repository's last part starts ("team/app" → "app"), for keepFrom. */
export function lastPartStart(repository: string): number {
  return repository.lastIndexOf('/') + 1;
}
