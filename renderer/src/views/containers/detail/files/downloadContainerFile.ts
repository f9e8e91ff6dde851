import { invoke } from '../../../../api/client';

/**
 * Saves one file of the container through the browser's own download: its bytes come whole over
 * the API connection (the engine caps them; larger files are for `stevedore cp`), then a link to
 * an object URL with `download` hands them to the browser, in web mode and in the window alike.
 */
export async function downloadContainerFile(id: string, path: string): Promise<void> {
  const file = await invoke('containers.readFile', { id, path });
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The browser has taken the bytes once the click is handled.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
