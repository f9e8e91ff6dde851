/**
 * What a benchmark leaves behind (containers, mounts, peers' storage) is cleaned up once: when it
 * ends, or first thing on Ctrl-C (run.ts exits at once on SIGINT; this listener runs before it).
 * `cleanUp` returns what it could not clean, which is logged, then thrown once the run is over.
 */
export class CleanUpGuard {
  private problems: string[] | undefined;
  private readonly onInterrupt = () => void this.cleanOnce();

  constructor(
    private readonly cleanUp: () => string[],
    private readonly log: (line: string) => void,
  ) {
    process.prependOnceListener('SIGINT', this.onInterrupt);
  }

  private cleanOnce(): string[] {
    this.problems ??= this.cleanUp();
    return this.problems;
  }

  /** For a `finally`: cleans up (unless Ctrl-C did) and logs what is left. */
  release(): void {
    const problems = this.cleanOnce();
    process.off('SIGINT', this.onInterrupt);
    if (problems.length > 0) this.log(`cleaning up: ${problems.join('; ')}`);
  }

  /** After the `finally`: a run that left something behind fails. */
  throwIfLeft(): void {
    const problems = this.cleanOnce();
    if (problems.length > 0) throw new Error(`cleaning up after the benchmark: ${problems.join('; ')}`);
  }
}
