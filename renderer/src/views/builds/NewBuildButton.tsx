import { useUiStore } from '../../state/uiStore';
import { BuildsIcon } from './buildIcons';

/** Opens the New build dialog, empty. */
export function NewBuildButton({ primary = false, testId }: { primary?: boolean; testId: string }) {
  const setBuildRequest = useUiStore((s) => s.setBuildRequest);
  return (
    <button
      type="button"
      className={primary ? 'button button--with-icon button--primary' : 'button button--with-icon'}
      data-testid={testId}
      onClick={() => setBuildRequest({})}
    >
      <BuildsIcon />
      New build
    </button>
  );
}
