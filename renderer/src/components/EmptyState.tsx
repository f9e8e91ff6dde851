import type { ComponentType, ReactNode, SVGProps } from 'react';

/**
 * A view with nothing in it yet: the view's icon, a title, then what the view is for and how to
 * start (the children). `testId` names the section; its title's id is `${testId}-title`.
 */
export function EmptyState({
  icon: Icon,
  title,
  testId,
  children,
}: {
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  title: string;
  testId: string;
  children: ReactNode;
}) {
  const titleId = `${testId}-title`;
  return (
    <section className="empty-state" data-testid={testId} aria-labelledby={titleId}>
      <div className="empty-state__icon">
        <Icon width={32} height={32} />
      </div>
      <h2 id={titleId}>{title}</h2>
      {children}
    </section>
  );
}
