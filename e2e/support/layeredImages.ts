import { makeLayer } from '../../testkit/layers';
import type { TestImage } from '../../testkit/ociLayout';

/**
 * Two images on one base layer, built so that every kind of change shows up:
 * `layers/app:1` adds app/added.txt, modifies etc/os-release and deletes etc/removed.conf (a
 * whiteout); `layers/tool:1` adds srv/tool. Their base layer is one blob, shared.
 */
export async function twoImagesOnOneBase(): Promise<TestImage[]> {
  const base = await makeLayer([
    { path: 'bin/', type: 'directory' },
    { path: 'bin/sh', content: 'x'.repeat(1000), mode: 0o755 },
    { path: 'etc/', type: 'directory' },
    { path: 'etc/os-release', content: 'ID=base\n' },
    { path: 'etc/removed.conf', content: 'going away\n' },
  ]);
  const app = await makeLayer([
    { path: 'app/', type: 'directory' },
    { path: 'app/added.txt', content: 'new in the app layer\n' },
    { path: 'etc/', type: 'directory' },
    { path: 'etc/.wh.removed.conf', content: '' },
    { path: 'etc/os-release', content: 'ID=app-changed\n' },
  ]);
  const tool = await makeLayer([
    { path: 'srv/', type: 'directory' },
    { path: 'srv/tool', content: '#!/bin/sh\necho tool\n', mode: 0o755 },
  ]);
  return [
    {
      refName: 'layers/app:1',
      gzip: true,
      layers: [base, app],
      history: [
        { created_by: '/bin/sh -c #(nop) ADD file:base in / ' },
        { created_by: '/bin/sh -c rm /etc/removed.conf && echo app' },
      ],
    },
    {
      refName: 'layers/tool:1',
      gzip: true,
      layers: [base, tool],
      history: [{ created_by: '/bin/sh -c #(nop) ADD file:base in / ' }, { created_by: '/bin/sh -c #(nop) COPY tool /srv/' }],
    },
  ];
}
