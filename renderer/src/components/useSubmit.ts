import { useCallback, useState } from 'react';

/**
 * A form's call to the engine: pending while it runs, and the engine's sentence when it fails,
 * shown in the form (which can fix it) rather than in the error banner.
 */
export function useSubmit(): {
  pending: boolean;
  error: string | null;
  setError: (error: string | null) => void;
  run: (work: () => Promise<void>) => Promise<void>;
} {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(sentence(err instanceof Error ? err.message : String(err)));
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, setError, run };
}

/** Engine sentences start lower-case so the CLI can prefix "error: "; in a form they start a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
