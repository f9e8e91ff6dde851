import { useEffect, useReducer } from 'react';

/** Re-renders every `intervalMs` while `active`: for numbers that change with time alone (a speed, an ETA). */
export function useTicker(active: boolean, intervalMs = 1000): void {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
}
