import { Banners } from '../components/Banners';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { useBuildEvents } from '../queries/buildEvents';
import { useEngineEvents } from '../queries/engineEvents';
import { useTransferEvents } from '../queries/transferEvents';
import { useUiStore } from '../state/uiStore';
import { BuildsView } from '../views/builds/BuildsView';
import { CompareView } from '../views/compare/CompareView';
import { ContainersView } from '../views/containers/ContainersView';
import { ImagesView } from '../views/images/ImagesView';
import { NetworksView } from '../views/networks/NetworksView';
import { RegistriesView } from '../views/registries/RegistriesView';
import { RunDialogHost } from '../views/run/RunDialogHost';
import { SettingsView } from '../views/settings/SettingsView';
import { StoreGraphView } from '../views/storeGraph/StoreGraphView';
import { TransfersView } from '../views/transfers/TransfersView';
import { VolumesView } from '../views/volumes/VolumesView';
import { useEndNotifications } from './endNotifications';
import { Sidebar } from './Sidebar';
import { TopBar } from './TopBar';
import { TransferToasts } from './TransferToasts';
import { useThemeAttribute } from './themeAttribute';

export function AppShell() {
  useEngineEvents();
  // Transfers run on while other views are on screen; their state is kept from the start.
  useTransferEvents();
  useEndNotifications();
  // Builds too: the history and an open build stay current whichever view is on screen.
  useBuildEvents();
  useThemeAttribute();
  // The view lives in the UI store, so a view can send the person to another (a store graph
  // card opens its image's DAG). A router earns its place when views want URLs.
  const view = useUiStore((s) => s.view);
  const navigate = useUiStore((s) => s.navigate);
  return (
    <div className="app">
      <TopBar />
      <Sidebar current={view} onNavigate={navigate} />
      <main className="content">
        <Banners />
        {/* A view that fails to draw says why in its place; the sidebar still leads to the others. */}
        <ErrorBoundary key={view} what="view">
          {view === 'images' && <ImagesView />}
          {view === 'containers' && <ContainersView />}
          {view === 'volumes' && <VolumesView />}
          {view === 'networks' && <NetworksView />}
          {view === 'builds' && <BuildsView />}
          {view === 'store-graph' && <StoreGraphView />}
          {view === 'compare' && <CompareView />}
          {view === 'registries' && <RegistriesView />}
          {view === 'transfers' && <TransfersView />}
          {view === 'settings' && <SettingsView />}
        </ErrorBoundary>
      </main>
      {/* Run is asked for from several views (an image row, an image's detail, Containers). */}
      <RunDialogHost />
      <TransferToasts />
    </div>
  );
}
