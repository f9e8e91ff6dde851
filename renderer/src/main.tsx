import { askEarly } from './api/earlyCalls';
import { takeFirstView } from './api/firstViewData';
import { accessTokenMissing } from './api/windowTransport';
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

// The page's entry: a few kilobytes that run as soon as the page is parsed. It opens the
// connection to the engine and asks for the first view's data, then loads the app (React, the
// views, the contract's schemas: most of the page's script), so that the engine answers while the
// app loads instead of after (issue 19: first image row within half a second).

// The page's policy allows no eval, so zod cannot compile its parsers here. Unless told so before
// it loads, zod finds out by trying (new Function) as it builds its first object schema, which
// the page's policy refuses and reports as a violation on every start.
(globalThis as { __zod_globalConfig?: { jitless: boolean } }).__zod_globalConfig = { jitless: true };
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const hasToken = !accessTokenMissing();
// The first view the web server drew into the page, with its data; else the list is asked for now.
const firstView = hasToken ? takeFirstView() : undefined;
if (hasToken && !firstView) askEarly('images.list', 'images.changed');
import('./app')
  .then(({ renderApp }) => renderApp(container, hasToken, firstView))
  .catch((err: unknown) => {
    container.textContent = `The app could not load: ${err instanceof Error ? err.message : String(err)}`;
  });
