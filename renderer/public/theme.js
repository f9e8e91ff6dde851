// The theme override saved in this browser, on <html> (data-theme, which the stylesheet follows)
// before the first frame: a classic script, which runs as the parser reaches it, so that not even
// the first view the web server drew into the page is painted in the other theme. The app keeps
// the attribute in step from then on (shell/themeAttribute.ts). It reads what the app's UI store
// saves (state/uiStore.ts: zustand's persist writes { state: { theme }, version } under this key).
(() => {
  try {
    const saved = JSON.parse(localStorage.getItem('stevedore-ui') || 'null');
    const theme = saved?.state?.theme;
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch {
    // Storage refused, or not JSON: the system's theme.
  }
})();
