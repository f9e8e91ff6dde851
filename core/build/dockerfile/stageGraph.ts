/**
 * Which stages a target needs: itself, its base stage, and every stage it copies or mounts
 * from, transitively. Stages only ever depend on earlier ones, so index order is a valid build
 * order; stages the target does not need are left out, as Docker skips them.
 */
export interface StageNode {
  dependencies: readonly number[];
}

export function stagesNeeded(stages: readonly StageNode[], target: number): number[] {
  const needed = new Set<number>();
  const visit = (index: number) => {
    if (needed.has(index)) return;
    needed.add(index);
    for (const dep of stages[index]?.dependencies ?? []) visit(dep);
  };
  visit(target);
  return [...needed].sort((a, b) => a - b);
}

/**
 * Stages grouped in waves: every stage of a wave needs only stages of earlier waves, so the
 * stages of one wave can be built at the same time.
 */
export function buildWaves(stages: readonly StageNode[], target: number): number[][] {
  const depth = new Map<number, number>();
  for (const index of stagesNeeded(stages, target)) {
    const deps = stages[index]?.dependencies ?? [];
    depth.set(index, deps.length === 0 ? 0 : Math.max(...deps.map((d) => (depth.get(d) ?? 0) + 1)));
  }
  const waves: number[][] = [];
  for (const [index, d] of depth) {
    waves[d] = [...(waves[d] ?? []), index];
  }
  return waves;
}
