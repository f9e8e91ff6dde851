// The floor of a push in Node: `node minimalPush.cjs LAYOUT TAG HOST REPO` does only the work
// `skopeo copy oci:LAYOUT:TAG docker://HOST/REPO:TAG` cannot skip: read index.json and the
// manifest, then the config and layers 4 at once over keep-alive connections, each a POST for an
// upload and one PUT of the whole blob streamed from its file (the digest is the file's name, so
// nothing is hashed on this side), then the manifest. Plain HTTP (a loopback registry), no auth,
// no existence checks (the registry is fresh), no validation, no progress; Node built-ins only.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const { join } = require('node:path');

const [layout, tag, host, repo] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One request; resolves with the response once its body has been read (and dropped). */
function request(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`http://${host}${path}`, { method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode >= 200 && res.statusCode < 300
          ? resolve(res)
          : reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

const blobFile = (digest) => join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));

async function pushBlob({ digest, size }) {
  const started = await request('POST', `/v2/${repo}/blobs/uploads/`, { 'content-length': '0' });
  const location = new URL(started.headers.location, `http://${host}`);
  location.searchParams.set('digest', digest);
  const body = fs.createReadStream(blobFile(digest), { highWaterMark: 1 << 20 });
  await request(
    'PUT',
    location.pathname + location.search,
    { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body,
  );
}

async function main() {
  const index = JSON.parse(fs.readFileSync(join(layout, 'index.json'), 'utf8'));
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry) throw new Error(`no image tagged ${tag} in ${layout}`);
  const manifest = fs.readFileSync(blobFile(entry.digest));
  const { config, layers } = JSON.parse(manifest.toString('utf8'));
  const queue = [config, ...layers];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (queue.length > 0) await pushBlob(queue.shift());
    }),
  );
  await request(
    'PUT',
    `/v2/${repo}/manifests/${tag}`,
    { 'content-type': entry.mediaType, 'content-length': String(manifest.length) },
    manifest,
  );
  agent.destroy();
}

main().catch((err) => {
  console.error(`minimalPush: ${err.message}`);
  process.exit(1);
});
