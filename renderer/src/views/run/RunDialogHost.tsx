import { useState } from 'react';
import { useUiStore } from '../../state/uiStore';
import { PullDialog } from '../pull/PullDialog';
import { RunDialog } from './RunDialog';

/**
 * The Run dialog for whichever view asked (an image row, an image's detail, the Containers view),
 * and the Pull dialog it can open over itself for an image the store lacks. The two are siblings:
 * a form may not hold another form.
 */
export function RunDialogHost() {
  const runImage = useUiStore((s) => s.runImage);
  const setRunImage = useUiStore((s) => s.setRunImage);
  const [pulling, setPulling] = useState<string | null>(null);
  if (runImage === null) return null;
  return (
    <>
      <RunDialog key={runImage} initialImage={runImage} onClose={() => setRunImage(null)} onPull={setPulling} />
      {pulling !== null && <PullDialog initialReference={pulling} onClose={() => setPulling(null)} />}
    </>
  );
}
