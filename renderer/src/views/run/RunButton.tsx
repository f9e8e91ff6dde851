import { PlayIcon } from '../../components/containerIcons';
import { useUiStore } from '../../state/uiStore';

/** Opens the Run dialog for an image (`image` as docker names it), or with the image to be typed. */
export function RunButton({
  image,
  variant,
  testId = 'run-button',
}: {
  image: string;
  /** `icon` for a list row, `small` for a detail header, `primary` for an empty state. */
  variant: 'icon' | 'small' | 'header' | 'primary';
  testId?: string;
}) {
  const setRunImage = useUiStore((s) => s.setRunImage);
  const label = image ? `Run ${image}` : 'Run a container';
  if (variant === 'icon') {
    return (
      <button
        type="button"
        className="icon-button"
        aria-label={label}
        title={label}
        data-testid={testId}
        // Inside a listbox option: the list keeps the keyboard; the detail's Run button is the keyboard's way.
        tabIndex={-1}
        onClick={(e) => {
          e.stopPropagation();
          setRunImage(image);
        }}
      >
        <PlayIcon />
      </button>
    );
  }
  const className = {
    small: 'button button--with-icon button--small',
    header: 'button button--with-icon',
    primary: 'button button--with-icon button--primary',
  }[variant];
  return (
    <button type="button" className={className} title={label} data-testid={testId} onClick={() => setRunImage(image)}>
      <PlayIcon />
      Run
    </button>
  );
}
