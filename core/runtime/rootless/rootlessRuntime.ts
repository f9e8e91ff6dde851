import { join } from 'node:path';
import type { RunRequest, StartedContainer } from '../../api/containers.schema.js';
import type { RuntimeStatus } from '../../api/runtime.schema.js';
import { StevedoreError } from '../../errors.js';
import { singleIdNamespace } from '../../system/userNamespace.js';
import type { AttachedOutput } from '../attachedRun.js';
import type { ContainersDeps } from '../containers.js';
import { NativeRuntime } from '../nativeRuntime.js';
import { rootlessResourcesBlocker } from '../resources.js';
import { configureRunc } from '../runc.js';
import { pastaBlocker } from './rootlessHost.js';
import { configureRootlessNetwork } from './rootlessNetwork.js';

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

  override run(request: RunRequest): Promise<StartedContainer> {
    return super.run(checkRequest(request));
  }
  override runAttached(request: RunRequest, io?: AttachedOutput): Promise<number> {
    return super.runAttached(checkRequest(request), io);
  }
  /**
   * A RUN step: as a container, on pasta's network like a container's default (rootlessNetwork.ts:
   * the host's loopback and abstract sockets stay out of reach of a Dockerfile from elsewhere).
   * Without pasta or a usable /dev/net/tun the step runs with no network, said in the build's
   * output; `RUN --network=host` still shares this machine's.
   */
  override runBuildStep(
    ...[request, onOutput]: Parameters<NativeRuntime['runBuildStep']>
  ): ReturnType<NativeRuntime['runBuildStep']> {
    const blocker = request.process.network === 'bridge' ? pastaBlocker() : null;
    if (!blocker) return super.runBuildStep(request, onOutput);
    onOutput('stderr', `warning: ${blocker}; this RUN runs without a network (RUN --network=host shares this machine’s)\n`);
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

/** What a rootless container cannot have here, refused before anything is made. */
function checkRequest(request: RunRequest): RunRequest {
  // One id only (no range in /etc/subuid): any user but root would be unmapped, and runc's setuid fails.
  if (singleIdNamespace() && request.user !== undefined && !/^(0|root)(:(0|root))?$/.test(request.user)) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `-u ${request.user} needs a subordinate id range, and /etc/subuid gives this user none: only root exists in its containers (usermod --add-subuids/--add-subgids gives a range)`,
    );
  }
  const noLimits = rootlessResourcesBlocker(request.resources);
  if (noLimits) throw new StevedoreError('INVALID_ARGUMENT', noLimits);
  return request;
}
