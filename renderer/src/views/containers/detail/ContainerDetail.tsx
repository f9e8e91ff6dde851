import { useId } from 'react';
import { BackButton } from '../../../components/BackButton';
import { MissingDetail } from '../../../components/MissingDetail';
import { RelativeTime } from '../../../components/RelativeTime';
import { Tabs, tabId, tabPanelId } from '../../../components/Tabs';
import { useContainerDetail } from '../../../queries/containerQueries';
import { type ContainerTab, useUiStore } from '../../../state/uiStore';
import { ContainerActions } from '../ContainerActions';
import { ContainerStatus } from '../ContainerStatus';
import { PortLinks } from '../PortLinks';
import { StatePill } from '../StatePill';
import { ContainerStatsPanel } from './ContainerStatsPanel';
import { FilesTab } from './files/FilesTab';
import { InspectTab } from './InspectTab';
import { LogsTab } from './logs/LogsTab';
import { TerminalTab } from './terminal/TerminalTab';

const tabs: { id: ContainerTab; label: string }[] = [
  { id: 'logs', label: 'Logs' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'terminal', label: 'Terminal' },
  { id: 'files', label: 'Files' },
];

/** One container, filling the view: its state, actions and resource use above, its logs, inspect and terminal below. */
export function ContainerDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const detail = useContainerDetail(id);
  const tab = useUiStore((s) => s.containerTab);
  const setTab = useUiStore((s) => s.setContainerTab);
  const idPrefix = useId();
  const container = detail.data;

  const back = <BackButton to="Containers" testId="container-back" onBack={onBack} />;

  if (!container) {
    return (
      <div className="view containers-view">
        <div className="view-header">{back}</div>
        <MissingDetail
          query={detail}
          testId="container-missing"
          unreadable="This container could not be inspected."
          gone="This container no longer exists."
          backTo="Containers"
          onBack={onBack}
        />
      </div>
    );
  }

  return (
    <div className="view containers-view">
      <div className="view-header">{back}</div>
      <article className="panel view-detail" aria-labelledby={`${idPrefix}-title`} data-testid="container-detail">
        <header className="panel__header">
          <div className="panel__title">
            <div className="view-detail__name">
              <h1 id={`${idPrefix}-title`} data-testid="container-title">
                {container.name}
              </h1>
              <StatePill state={container.state} />
            </div>
            <p className="detail__subtitle">
              <code title={container.id}>{container.id.slice(0, 12)}</code>
              <span title={container.imageId}>{container.image}</span>
              <ContainerStatus container={container} />
              <span>
                Created <RelativeTime iso={container.created} lower />
              </span>
              {container.ports.length > 0 && <PortLinks ports={container.ports} testId="detail-ports" />}
            </p>
            {container.error && (
              <p className="container-detail__error" role="alert">
                {container.error}
              </p>
            )}
          </div>
          <ContainerActions container={container} labelled onRemoved={onBack} />
        </header>
        <ContainerStatsPanel container={container} />
        <Tabs tabs={tabs} current={tab} onChange={setTab} idPrefix={idPrefix} label="Container details" />
        <div
          className={`container-detail__body${tab === 'inspect' || tab === 'files' ? ' is-scrolling' : ''}`}
          role="tabpanel"
          id={tabPanelId(idPrefix)}
          aria-labelledby={tabId(idPrefix, tab)}
        >
          {tab === 'logs' ? (
            <LogsTab containerId={container.id} name={container.name} />
          ) : tab === 'inspect' ? (
            <InspectTab detail={container} />
          ) : tab === 'files' ? (
            <FilesTab container={container} />
          ) : (
            <TerminalTab container={container} />
          )}
        </div>
      </article>
    </div>
  );
}
