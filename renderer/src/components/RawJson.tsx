import { CopyButton } from './CopyButton';

/**
 * A JSON document folded away under its name: most people need it rarely, and then whole. The
 * copy button copies `text`; the page shows `shown` (`text` unless given, such as a pretty form).
 */
export function RawJson({
  summary,
  text,
  shown = text,
  copyLabel,
  testId,
}: {
  summary: string;
  text: string;
  shown?: string;
  /** The copy button's name, as in "Copy the manifest JSON". */
  copyLabel: string;
  testId: string;
}) {
  return (
    <details className="raw" data-testid={testId}>
      <summary>{summary}</summary>
      <div className="raw__body">
        <CopyButton text={text} label={copyLabel} />
        <pre>{shown}</pre>
      </div>
    </details>
  );
}
