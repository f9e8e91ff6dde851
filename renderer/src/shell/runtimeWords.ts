import type { RuntimeStatus } from '../../../core/api/runtime.schema';

// How the app names what runs containers, in Settings and the top bar: the three runtimes of
// core/vm/chooseRuntime.ts. Only `vm` has a machine to show, start or stop.

/** What `--runtime` and STEVEDORE_RUNTIME accept. */
export const RUNTIME_CHOICES = 'native|rootless|vm';

/** Settings' "Runs containers". */
export function runsContainers(kind: RuntimeStatus['kind']): string {
  if (kind === 'native') return 'natively (runc on this machine)';
  if (kind === 'rootless') return 'rootless (runc in a user namespace)';
  return 'in a Linux machine (QEMU)';
}

/** Whether Settings shows the machine (its facts, Start/Stop, console): only the VM runtime has one. */
export function showsMachine(status: RuntimeStatus): boolean {
  return status.kind === 'vm';
}

/** The top bar's indicator: its words, and the state its dot is coloured by. */
export function runtimeIndicator(status: RuntimeStatus): { state: string; text: string } {
  const { kind, machine } = status;
  if (kind !== 'vm') return { state: kind, text: `Containers: ${kind}` };
  if (!machine) return { state: 'missing', text: 'Machine: not created' };
  const accelerator = machine.state !== 'stopped' && machine.accelerator ? ` (${machine.accelerator})` : '';
  return { state: machine.state, text: `Machine: ${machine.state}${accelerator}` };
}
