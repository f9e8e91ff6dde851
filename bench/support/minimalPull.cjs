// The floor of a pull in Node: `node minimalPull.cjs HOST REPO TAG DEST` does only the work
// `skopeo copy docker://HOST/REPO:TAG oci:DEST:TAG` cannot skip, the way its oci: destination
// does it: GET /v2/, the manifest, then the config and layers 4 at once over keep-alive
// connections, each streamed through sha256 into a temp file, checked, fsynced and renamed into
// DEST/blobs/sha256; then the manifest blob, index.json (temp file, fsync, rename), oci-layout.
// Plain HTTP (a loopback registry), no auth, no validation, no progress; Node built-ins only.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const { join } = require('node:path');
const { pipeline } = require('node:stream/promises');

const [host, repo, tag, dest] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const blobs = join(dest, 'blobs', 'sha256');
const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(`http://${host}${path}`, { agent, headers }, (res) => {
      if (res.statusCode === 200) return resolve(res);
      res.resume();
      reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
    });
    req.on('error', reject);
  });
}

/** `data` into `file` by a temp file beside it: written, fsynced, renamed. */
async function put(file, data) {
  const handle = await fs.promises.open(`${file}.tmp`, 'w');
  await handle.writeFile(data);
  await handle.sync();
  await handle.close();
  await fs.promises.rename(`${file}.tmp`, file);
}

/**
 * One blob, streamed through sha256 into a temp file, fsynced at close (`flush`). Chunks that come
 * while a write is in flight gather and go out together (writev); the response pauses only once
 * 4 MiB wait. (With the default 16 KiB it pauses at every chunk: the big pull takes 650 ms, not 470.)
 */
async function pullBlob(digest) {
  const hex = digest.slice('sha256:'.length);
  const res = await get(`/v2/${repo}/blobs/${digest}`);
  const hash = createHash('sha256');
  res.on('data', (chunk) => hash.update(chunk));
  await pipeline(res, fs.createWriteStream(join(blobs, `${hex}.tmp`), { flush: true, highWaterMark: 4 << 20 }));
  if (hash.digest('hex') !== hex) throw new Error(`${digest}: the content has another digest`);
  await fs.promises.rename(join(blobs, `${hex}.tmp`), join(blobs, hex));
}

async function main() {
  await fs.promises.mkdir(blobs, { recursive: true });
  await put(join(dest, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  (await get('/v2/')).resume();
  const res = await get(`/v2/${repo}/manifests/${tag}`, { accept: ACCEPT });
  const chunks = [];
  for await (const chunk of res) chunks.push(chunk);
  const manifest = Buffer.concat(chunks);
  const { mediaType, config, layers } = JSON.parse(manifest.toString('utf8'));
  const queue = [config, ...layers].map((d) => d.digest);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (queue.length > 0) await pullBlob(queue.shift());
    }),
  );
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  await put(join(blobs, digest.slice('sha256:'.length)), manifest);
  const entry = { mediaType: mediaType ?? res.headers['content-type'], digest, size: manifest.length };
  const annotations = { 'org.opencontainers.image.ref.name': tag };
  await put(join(dest, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...entry, annotations }] }));
  agent.destroy();
}

main().catch((err) => {
  console.error(`minimalPull: ${err.message}`);
  process.exit(1);
});
