import { StevedoreError } from '../errors.js';
import { type AttachConnection, connectAttach } from './attachSocket.js';
import { containerPaths } from './containerRecord.js';
import type { Containers } from './containers.js';
import type { ContainerAttacher } from './runtimeBackend.js';

/** `attach` for containers run under conmon on this machine: docker's refusals, then conmon's attach socket. */
export function conmonAttacher(containers: Containers): ContainerAttacher {
  return {
    async attach(ref: string): Promise<AttachConnection> {
      const record = await containers.get(ref);
      if (record.state.status !== 'running') {
        throw new StevedoreError('CONFLICT', 'You cannot attach to a stopped container, start it first');
      }
      if (record.state.paused) {
        throw new StevedoreError('CONFLICT', 'You cannot attach to a paused container, unpause it first');
      }
      if (record.state.supervisor !== 'conmon') {
        // A foreground `run` holds its container's stdio itself (runc run, no supervisor to attach through).
        throw new StevedoreError(
          'CONFLICT',
          `container ${record.name} runs in the foreground of another stevedore: attach works with containers started with run -d or start`,
        );
      }
      return connectAttach(containerPaths(containers.root, record.id).dir, {
        name: record.name,
        tty: record.config.tty,
        interactive: record.config.interactive,
      });
    },
  };
}
