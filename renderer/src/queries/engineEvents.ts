import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onConnectionStatus, subscribe } from '../api/client';
import { containerKeys } from './containerQueries';
import { imageKeys } from './imageQueries';
import { networkKeys } from './networkQueries';

/** Keeps cached engine data honest: refetch what an event says changed, and all of it after a reconnect. */
export function useEngineEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const offImages = subscribe('images.changed', () => void queryClient.invalidateQueries({ queryKey: imageKeys.all }));
    const offContainers = subscribe('containers.changed', () => {
      void queryClient.invalidateQueries({ queryKey: containerKeys.all });
      // Which images are in use, what a prune would take and the disk use follow the containers.
      // So do the containers each network lists.
      for (const queryKey of [imageKeys.inUse(), imageKeys.diskUsage(), ['images', 'prunePreview'], networkKeys.all])
        void queryClient.invalidateQueries({ queryKey });
    });
    // A build adds layers and cache entries: the disk use changes.
    const offBuilt = subscribe('build.ended', () => void queryClient.invalidateQueries({ queryKey: imageKeys.diskUsage() }));
    // Events sent while the socket was down are lost, so anything cached may be out of date.
    let wasDown = false;
    const offStatus = onConnectionStatus((status) => {
      if (status === 'reconnecting') wasDown = true;
      else if (status === 'open' && wasDown) {
        wasDown = false;
        void queryClient.invalidateQueries();
      }
    });
    return () => {
      offImages();
      offContainers();
      offBuilt();
      offStatus();
    };
  }, [queryClient]);
}
