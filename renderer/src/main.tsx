import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { accessTokenMissing } from './api/client';
import { prefetchImageList } from './queries/imageQueries';
import { createQueryClient } from './queries/queryClient';
import { AccessNeeded } from './shell/AccessNeeded';
import { AppShell } from './shell/AppShell';
import { applyTheme } from './shell/themeAttribute';
import { useUiStore } from './state/uiStore';
import './styles/theme.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/virtualTable.css';
import './styles/images.css';
import './styles/detail.css';
import './styles/layers.css';
import './styles/fileTree.css';
import '@xyflow/react/dist/style.css';
import './styles/graph.css';
import './styles/compare.css';
import './styles/forms.css';
import './styles/runAdvanced.css';
import './styles/transfers.css';
import './styles/registries.css';
import './styles/containers.css';
import './styles/volumes.css';
import './styles/networks.css';
import './styles/containerFiles.css';
import './styles/builds.css';
import './styles/settings.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// Before the first render, so a saved theme override never flashes the other theme.
applyTheme(useUiStore.getState().theme);

const queryClient = accessTokenMissing() ? undefined : createQueryClient();
// The first view's data is asked for now, not after the first render (issue 19: first row in 0.5 s).
if (queryClient) prefetchImageList(queryClient);

createRoot(container).render(
  <StrictMode>
    {!queryClient ? (
      <AccessNeeded />
    ) : (
      <QueryClientProvider client={queryClient}>
        <AppShell />
      </QueryClientProvider>
    )}
  </StrictMode>,
);
