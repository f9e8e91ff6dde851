import { type ReactNode, useId } from 'react';

/** A titled block of the detail panel; the heading names the region for assistive tech. */
export function Section({
  title,
  aside,
  children,
  testId,
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const id = useId();
  return (
    <section className="detail-section" aria-labelledby={id} data-testid={testId}>
      <div className="detail-section__head">
        <h3 id={id}>{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** A label and its value, in a two-column definition list. */
export function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="field" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function None() {
  return <span className="none">—</span>;
}
