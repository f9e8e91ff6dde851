import { join } from 'node:path';
import type { ContainerSummary, RunRequest } from '../../api/containers.schema.js';
import type { RuntimeStatus } from '../../api/runtime.schema.js';
import { StevedoreError } from '../../errors.js';
import type { AttachedOutput } from '../attachedRun.js';
import type { ContainersDeps } from '../containers.js';
import { NativeRuntime } from '../nativeRuntime.js';
import { configureRunc } from '../runc.js';
import { configureRootlessNetwork } from './rootlessNetwork.js';
import { singleIdNamespace } from './userNamespace.js';

/**
 * Containers of a normal user: the native runtime's code, run by a process that has joined the
 * store's user and mount namespaces (namespaceHolder.ts, namespaceEntry.ts), where it is root.
 * runc runs with `--rootless true` and keeps its state in the store (`<root>/run/runc`: /run is
 * not the user's); conmon, the overlay mounts and the layers' shifted owners all live in the
 * namespace. What differs from root's is here: the default network is pasta's (rootlessNetwork.ts:
 * the bridge needs root on the host), no machine.
 */
export class RootlessRuntime extends NativeRuntime {
  override readonly kind = 'rootless' as const;

  constructor(deps: ContainersDeps) {
    super(deps);
    configureRunc({ root: join(deps.store.root, 'run', 'runc'), rootless: true });
    configureRootlessNetwork(deps.store.root);
  }

  override run(request: RunRequest): Promise<ContainerSummary> {
    return super.run(checkRequest(request));
  }
  override runAttached(request: RunRequest, io?: AttachedOutput): Promise<number> {
    return super.runAttached(checkRequest(request), io);
  }
  /**
   * A RUN step: as a container, with the bridge (a build's default) replaced by no network, said
   * in the build's output; `RUN --network=host` still shares this machine's. Not the host's by
   * default: a step of a Dockerfile from elsewhere would reach the user's loopback services and
   * abstract sockets (X11, D-Bus).
   */
  override runBuildStep(
    ...[request, onOutput]: Parameters<NativeRuntime['runBuildStep']>
  ): ReturnType<NativeRuntime['runBuildStep']> {
    if (request.process.network !== 'bridge') return super.runBuildStep(request, onOutput);
    onOutput('stderr', `warning: ${NO_BRIDGE_STEP}\n`);
    return super.runBuildStep({ ...request, process: { ...request.process, network: 'none' } }, onOutput);
  }
  override async status(): Promise<Omit<RuntimeStatus, 'reason'>> {
    return { kind: 'rootless', machine: null };
  }
  override async controlMachine(): Promise<void> {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      'the rootless runtime runs containers on this machine in a user namespace: there is no VM to start or stop',
    );
  }
}

const NO_BRIDGE_STEP =
  'rootless build steps have no bridge network yet: this RUN runs without a network (RUN --network=host shares this machine’s)';

/** What a rootless container cannot have here, refused before anything is made. */
function checkRequest(request: RunRequest): RunRequest {
  // One id only (no range in /etc/subuid): any user but root would be unmapped, and runc's setuid fails.
  if (singleIdNamespace() && request.user !== undefined && !/^(0|root)(:(0|root))?$/.test(request.user)) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `-u ${request.user} needs a subordinate id range, and /etc/subuid gives this user none: only root exists in its containers (usermod --add-subuids/--add-subgids gives a range)`,
    );
  }
  return request;
}
