import { useUiStore } from '../../state/uiStore';
import { BuildHistory } from './BuildHistory';
import { BuildDetail } from './detail/BuildDetail';
import { NewBuildDialog } from './NewBuildDialog';

/** The build history, or one build in full with its steps; New build (or Build again) opens the form. */
export function BuildsView() {
  const selected = useUiStore((s) => s.selectedBuild);
  const openBuild = useUiStore((s) => s.openBuild);
  const request = useUiStore((s) => s.buildRequest);
  const setBuildRequest = useUiStore((s) => s.setBuildRequest);
  return (
    <>
      {selected !== null ? (
        <BuildDetail key={selected} id={selected} onBack={() => openBuild(null)} />
      ) : (
        <BuildHistory onOpen={(id) => openBuild(id)} />
      )}
      {request && <NewBuildDialog initial={request} onClose={() => setBuildRequest(null)} />}
    </>
  );
}
