import type { ReactNode } from 'react';

/** What LoadedList reads of a list's query (react-query's result). */
interface ListQuery {
  isPending: boolean;
  isError: boolean;
  data: unknown;
  refetch: () => Promise<unknown>;
}

/**
 * A list once the engine has answered (the children): until then "Loading…", and when it could
 * not list, with no earlier answer to keep showing, the failure with Try again. `noun` names what
 * is listed: "containers".
 */
export function LoadedList({
  query,
  noun,
  errorTestId,
  children,
}: {
  query: ListQuery;
  noun: string;
  errorTestId: string;
  children: ReactNode;
}) {
  if (query.isPending) return <div className="placeholder">{`Loading ${noun}…`}</div>;
  if (query.isError && !query.data) {
    return (
      <div className="placeholder" data-testid={errorTestId}>
        <p>{`The ${noun} could not be listed.`}</p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return children;
}
