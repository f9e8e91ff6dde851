import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pack as tarPack } from 'tar-stream';

export interface TarFile {
  name: string;
  content?: Buffer | string;
  type?: 'file' | 'symlink' | 'directory';
  linkname?: string;
}

/** Writes a tar of exactly these entries, hostile ones included: the tests need to craft bad input. */
export async function writeTar(path: string, files: TarFile[]): Promise<void> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve) => pack.on('end', resolve));
  for (const f of files) {
    const type = f.type ?? 'file';
    if (type === 'file') pack.entry({ name: f.name }, f.content ?? '');
    else pack.entry({ name: f.name, type, ...(f.linkname ? { linkname: f.linkname } : {}) });
  }
  pack.finalize();
  await ended;
  writeFileSync(path, Buffer.concat(chunks));
}

/** An OCI archive: the layout directory's files in a tar. */
export async function tarDirectory(dir: string, path: string): Promise<void> {
  const files: TarFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push({ name: relative(dir, p), content: readFileSync(p) });
    }
  };
  walk(dir);
  await writeTar(path, files);
}

/** The format `docker save` wrote before Docker 25: `<id>/layer.tar`, `<hex>.json`, manifest.json. */
export async function writeLegacyDockerArchive(
  path: string,
  layers: Buffer[],
  repoTags: string[],
): Promise<{ configDigest: string }> {
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  const diffIds = layers.map((l) => `sha256:${sha(l)}`);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: '2024-02-02T00:00:00Z',
    config: { Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
  });
  const configHex = sha(config);
  const layerDirs = layers.map((l, i) => `${sha(`${i}${sha(l)}`)}`);
  const files: TarFile[] = [{ name: `${configHex}.json`, content: config }];
  layers.forEach((l, i) => {
    files.push({ name: `${layerDirs[i]}/VERSION`, content: '1.0' });
    files.push({ name: `${layerDirs[i]}/layer.tar`, content: l });
  });
  files.push({
    name: 'manifest.json',
    content: JSON.stringify([
      { Config: `${configHex}.json`, RepoTags: repoTags, Layers: layerDirs.map((d) => `${d}/layer.tar`) },
    ]),
  });
  await writeTar(path, files);
  return { configDigest: `sha256:${configHex}` };
}
