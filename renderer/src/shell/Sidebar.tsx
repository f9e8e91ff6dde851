import type { ReactNode } from 'react';
import { formatCount } from '../../../core/text/humanize';
import { ContainersIcon, VolumesIcon } from '../components/containerIcons';
import { CompareIcon, GraphIcon, ImagesIcon } from '../components/icons';
import { RegistryIcon, TransfersIcon } from '../components/transferIcons';
import { useBuildList } from '../queries/buildQueries';
import { useContainerList } from '../queries/containerQueries';
import { useEngineInfo } from '../queries/engineQueries';
import { useImageList } from '../queries/imageQueries';
import { useRunningCount, useTransferStore } from '../state/transferStore';
import type { ViewId } from '../state/uiStore';
import { BuildsIcon } from '../views/builds/buildIcons';
import { NetworksIcon } from '../views/networks/networkIcons';
import { SettingsIcon } from '../views/settings/settingsIcon';

interface NavItem {
  id: ViewId;
  label: string;
  icon: ReactNode;
}

/** One entry per view that exists: a view joins this list (and ViewId) with its view, never before. */
const navItems: NavItem[] = [
  { id: 'images', label: 'Images', icon: <ImagesIcon width={18} height={18} /> },
  { id: 'containers', label: 'Containers', icon: <ContainersIcon width={18} height={18} /> },
  { id: 'volumes', label: 'Volumes', icon: <VolumesIcon width={18} height={18} /> },
  { id: 'networks', label: 'Networks', icon: <NetworksIcon width={18} height={18} /> },
  { id: 'builds', label: 'Builds', icon: <BuildsIcon width={18} height={18} /> },
  { id: 'store-graph', label: 'Store graph', icon: <GraphIcon width={18} height={18} /> },
  { id: 'compare', label: 'Compare', icon: <CompareIcon width={18} height={18} /> },
  { id: 'registries', label: 'Registries', icon: <RegistryIcon width={18} height={18} /> },
  { id: 'transfers', label: 'Transfers', icon: <TransfersIcon width={18} height={18} /> },
  { id: 'settings', label: 'Settings', icon: <SettingsIcon width={18} height={18} /> },
];

export function Sidebar({ current, onNavigate }: { current: ViewId; onNavigate: (view: ViewId) => void }) {
  const images = useImageList();
  const running = useContainerList(false);
  const info = useEngineInfo();
  const transfers = useRunningCount();
  const failed = useTransferStore((s) => s.unseenFailures.length);
  const builds = useBuildList();
  const buildsRunning = builds.data?.builds.filter((b) => b.state === 'running').length ?? 0;
  const counts: Partial<Record<ViewId, number | undefined>> = {
    images: images.data?.length,
    // The running ones, as docker ps counts them.
    containers: running.data?.length,
    // A badge while builds or transfers run; nothing when none do.
    builds: buildsRunning > 0 ? buildsRunning : undefined,
    transfers: transfers > 0 ? transfers : undefined,
  };
  return (
    <nav className="sidebar" aria-label="Main">
      <ul className="sidebar__list">
        {navItems.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className="sidebar__item"
              aria-current={item.id === current ? 'page' : undefined}
              data-testid={`nav-${item.id}`}
              onClick={() => onNavigate(item.id)}
            >
              {item.icon}
              <span className="sidebar__label">{item.label}</span>
              {counts[item.id] !== undefined && <span className="sidebar__count">{formatCount(counts[item.id] ?? 0)}</span>}
              {item.id === 'transfers' && failed > 0 && (
                <span
                  className="sidebar__alert"
                  data-testid="nav-failed-count"
                  title={`${failed} failed ${failed === 1 ? 'transfer' : 'transfers'} not seen yet`}
                >
                  {failed}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {info.data && (
        <div className="sidebar__footer" title={info.data.root}>
          <span className="sidebar__footer-label">Store</span>
          <span className="sidebar__footer-path">{info.data.root}</span>
        </div>
      )}
    </nav>
  );
}
