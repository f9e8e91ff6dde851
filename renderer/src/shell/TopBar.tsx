import { StevedoreLogo } from '../components/icons';
import { useConnectionStatus } from '../queries/connectionStatus';
import { useEngineInfo } from '../queries/engineQueries';
import { MachineIndicator } from './MachineIndicator';
import { ThemeSwitch } from './ThemeSwitch';

const statusText = { connecting: 'Connecting…', open: 'Engine running', reconnecting: 'Reconnecting…' } as const;

export function TopBar() {
  const status = useConnectionStatus();
  const info = useEngineInfo();
  return (
    <header className="topbar">
      <div className="topbar__brand">
        <StevedoreLogo />
        <span className="topbar__name">Stevedore</span>
      </div>
      <div className="topbar__spacer" />
      <div className="engine-status" data-status={status} title={info.data ? `Store: ${info.data.root}` : undefined}>
        <span className="engine-status__dot" aria-hidden="true" />
        <span>{statusText[status]}</span>
        {info.data && <span className="engine-status__version">v{info.data.version}</span>}
      </div>
      <MachineIndicator />
      <ThemeSwitch />
    </header>
  );
}
