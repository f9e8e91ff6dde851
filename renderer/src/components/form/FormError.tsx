/** Why the engine refused what a form sent (useSubmit's error), where the form can fix it; nothing while there is none. */
export function FormError({ error, testId }: { error: string | null; testId?: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
