/** The longest pause between two tries (unless the caller asks a longer one). */
const MAX_PAUSE_MS = 400;

/**
 * Retries an assertion until it passes or time runs out, then throws its last failure: what a test
 * waits for (a query and a re-render, an event from another process, a file) happens when it
 * happens, so a check made once might run too early, and a fixed sleep is either too short on a
 * busy machine or wasted on an idle one. The one polling helper of the tests (e2e and core).
 *
 * The pause between tries starts at `intervalMs` and grows by half each time up to `MAX_PAUSE_MS`
 * (or `intervalMs`, if larger): most waits end within a few tries, and a long one must not keep
 * a core busy. An assertion that starts the CLI costs ~0.3 s of CPU; at a fixed 50 ms pause such a
 * wait kept a core busy, on a machine whose two cores the suite's two files already fill.
 */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 10_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const maxPause = Math.max(intervalMs, MAX_PAUSE_MS);
  for (let pause = intervalMs; ; pause = Math.min(maxPause, pause * 1.5)) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
