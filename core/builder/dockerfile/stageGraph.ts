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
