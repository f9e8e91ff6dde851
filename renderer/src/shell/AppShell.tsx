import { useState } from 'react';
import { Banners } from '../components/Banners';
import { useEngineEvents } from '../queries/engineEvents';
import { ImagesView } from '../views/images/ImagesView';
import { Sidebar, type ViewId } from './Sidebar';
import { TopBar } from './TopBar';
import { useThemeAttribute } from './themeAttribute';

export function AppShell() {
  useEngineEvents();
  useThemeAttribute();
  // One view today; a router earns its place when there are several and they want URLs.
  const [view, setView] = useState<ViewId>('images');
  return (
    <div className="app">
      <TopBar />
      <Sidebar current={view} onNavigate={setView} />
      <main className="content">
        <Banners />
        {view === 'images' && <ImagesView />}
      </main>
    </div>
  );
}
