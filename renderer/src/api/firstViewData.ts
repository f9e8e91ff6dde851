import { FIRST_VIEW_DATA_ID, type FirstViewData } from '../../../core/api/firstView';

/**
 * The data of the first view the web server drew into this page (core/api/firstView.ts), taken
 * once; undefined when the page came without one (a reload, Electron, a store the server could
 * not list in time). It comes from the engine that serves the page, whose contract this page was
 * built with, so it is not checked against the schema as an answer over the socket is.
 */
export function takeFirstView(): FirstViewData | undefined {
  const element = document.getElementById(FIRST_VIEW_DATA_ID);
  if (!element) return undefined;
  element.remove();
  try {
    return JSON.parse(element.textContent ?? '') as FirstViewData;
  } catch {
    return undefined;
  }
}
