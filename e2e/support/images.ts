import { join } from 'node:path';
import { stevedore, stevedoreAsync } from '../../testkit/cli';
import { busyboxLayer, makeLayer } from '../../testkit/layers';
import { type TestImage, type WrittenImage, writeLayout } from '../../testkit/ociLayout';

/**
 * A small but complete image: a busybox layer and an app layer, gzipped as registries serve
 * them, with the config fields the detail view shows and a history with an empty-layer step.
 */
export async function demoImage(refName: string): Promise<TestImage> {
  return {
    refName,
    gzip: true,
    layers: [
      await busyboxLayer(),
      await makeLayer([
        { path: 'app/', type: 'directory' },
        { path: 'app/config.toml', content: 'port = 8080\n' },
      ]),
    ],
    config: {
      Cmd: ['/bin/sh', '-c', 'echo hello from stevedore'],
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'APP_MODE=demo'],
      ExposedPorts: { '8080/tcp': {} },
      Labels: { 'org.opencontainers.image.title': 'Stevedore demo', 'com.example.team': 'e2e' },
      WorkingDir: '/app',
    },
    history: [
      { created_by: '/bin/sh -c #(nop) ADD file:busybox in / ' },
      { created_by: '/bin/sh -c #(nop) ENV APP_MODE=demo', empty_layer: true },
      { created_by: '/bin/sh -c #(nop) COPY file:config.toml in /app/ ' },
    ],
  };
}

/**
 * Writes the images to an OCI layout under `dir` and loads it into the store with one `load`,
 * without blocking the test process (a browser can start meanwhile).
 */
export async function loadImages(root: string, dir: string, images: TestImage[]): Promise<WrittenImage[]> {
  const layout = join(dir, 'layout');
  const written = writeLayout(layout, images);
  const r = await stevedoreAsync(root, ['load', '-i', layout]);
  if (r.code !== 0) throw new Error(`stevedore load failed: ${r.stderr}`);
  return written;
}

/** What the CLI says about the store, to compare the UI with. */
export function cliJson<T>(root: string, args: string[]): T {
  const r = stevedore(root, [...args, '--json']);
  if (r.code !== 0) throw new Error(`stevedore ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
