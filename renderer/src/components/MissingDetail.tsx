/**
 * In place of a detail that is not there: "Loading…" while it comes, `unreadable` when the engine
 * could not read it, and `gone` with the way back to `backTo` when there is no such thing (any more).
 */
export function MissingDetail({
  query,
  testId,
  unreadable,
  gone,
  backTo,
  onBack,
}: {
  query: { isPending: boolean; isError: boolean };
  testId: string;
  unreadable: string;
  gone: string;
  backTo: string;
  onBack: () => void;
}) {
  return (
    <div className="placeholder" data-testid={testId}>
      {query.isPending ? (
        'Loading…'
      ) : query.isError ? (
        <p>{unreadable}</p>
      ) : (
        <>
          <p>{gone}</p>
          <button type="button" className="button" onClick={onBack}>
            {`Back to ${backTo}`}
          </button>
        </>
      )}
    </div>
  );
}
