/**
 * The page a browser gets for a URL whose token is not this server's (a link from another
 * store's `stevedore ui`, or a token that was replaced): styled like the app, since a person
 * reads it, and saying what to do. Inline styles only (the CSP allows them; no script runs).
 */
export function accessRefusedPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stevedore: this link does not give access</title>
<style>
  :root { color-scheme: light dark; }
  body {
    margin: 0; min-height: 100vh; display: grid; place-items: center;
    background: light-dark(#f4f5f7, #15171a); color: light-dark(#1a1d21, #e6e8eb);
    font: 14px / 1.5 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, "Noto Sans", sans-serif;
  }
  main {
    max-width: 460px; margin: 24px; padding: 28px 32px;
    background: light-dark(#ffffff, #1d2024); border: 1px solid light-dark(#e1e4e9, #2e3238);
    border-radius: 8px; box-shadow: 0 1px 2px rgb(16 24 40 / 0.06);
  }
  h1 { margin: 0 0 10px; font-size: 18px; font-weight: 650; }
  p { margin: 0 0 10px; color: light-dark(#5b6470, #98a1ac); }
  code {
    font: 12.5px ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
    padding: 1px 5px; border-radius: 5px; background: light-dark(#f0f2f5, #191b1f); color: light-dark(#1a1d21, #e6e8eb);
  }
</style>
</head>
<body>
<main>
  <h1>This link does not give access to Stevedore</h1>
  <p>The access token in it belongs to another <code>stevedore ui</code>, or to one whose token was replaced.</p>
  <p>Open the URL that <code>stevedore ui</code> printed in your terminal. It keeps working while you restart it for the same store.</p>
</main>
</body>
</html>
`;
}
