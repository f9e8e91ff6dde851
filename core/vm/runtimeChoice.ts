import type { RuntimeContext } from '../engine.js';
import { followOuterCommand, REASON_ENV, runInsideHolder } from '../runtime/rootless/namespaceEntry.js';
import { RootlessRuntime } from '../runtime/rootless/rootlessRuntime.js';
import type { RuntimeBackend } from '../runtime/runtimeBackend.js';
import type { RuntimeChoice } from './chooseRuntime.js';
import { machinePaths } from './machinePaths.js';
import { VmRuntime } from './vmRuntime.js';

export { chooseRuntime, type HostFacts, type RuntimeChoice } from './chooseRuntime.js';

/**
 * For `rootless`, outside its namespace: runs this command again inside it (the store's holder,
 * started when none runs) and never returns. Inside, or for another runtime, returns the choice,
 * with the reason the outer command gave when there is one.
 */
export function enterRuntime(choice: RuntimeChoice, root: string): RuntimeChoice {
  if (choice.kind !== 'rootless') return choice;
  if (choice.rootless) runInsideHolder(root, choice.rootless, choice.reason);
  followOuterCommand();
  return { kind: 'rootless', reason: process.env[REASON_ENV] || choice.reason };
}

/** The Engine's `runtime` option for a choice: the machine named `default` under the store's root. */
export function runtimeFactory(
  choice: RuntimeChoice,
  notify: (line: string) => void,
): ((context: RuntimeContext) => RuntimeBackend) | undefined {
  if (choice.kind === 'native') return undefined;
  if (choice.kind === 'rootless') return ({ containersDeps }) => new RootlessRuntime(containersDeps);
  return ({ engine, changed }) => new VmRuntime({ engine, paths: machinePaths(engine.store.root), notify, changed });
}
