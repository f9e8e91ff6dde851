/**
 * Retries an assertion until it passes or time runs out, then throws its last failure: what a test
 * waits for (a query and a re-render, an event from another process, a file) happens when it
 * happens, so a check made once might run too early, and a fixed sleep is either too short on a
 * busy machine or wasted on an idle one. The one polling helper of the tests (e2e and core).
 */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 10_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
