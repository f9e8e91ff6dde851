// The floor of `stevedore images --json` in Node: `node minimalImageList.cjs ROOT` does only what
// the listing cannot skip once the image-facts cache is written: read and parse index.json and
// <root>/cache/image-facts.json, make one row per name (the same fields, in the same order), sort
// them and print them as the CLI does (JSON, two-space indent). No validation, no reference
// parsing beyond splitting the tag, no shared-size count; Node built-ins only.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = process.argv[2];
const REF_NAME = 'org.opencontainers.image.ref.name';
const PULLED = 'io.stevedore.image.pulled';
const index = JSON.parse(readFileSync(join(root, 'oci', 'index.json'), 'utf8'));
const { facts } = JSON.parse(readFileSync(join(root, 'cache', 'image-facts.json'), 'utf8'));
const rows = [];
for (const entry of index.manifests) {
  // [media type, is an index, manifest digest, config digest, created, os, architecture, variant, then layers' digest and size]
  const f = facts[entry.digest];
  if (!f) continue;
  const reference = entry.annotations?.[REF_NAME] ?? null;
  const colon = reference === null ? -1 : reference.lastIndexOf(':');
  let size = 0;
  for (let i = 9; i < f.length; i += 2) size += f[i];
  rows.push({
    id: f[3],
    digest: entry.digest,
    mediaType: f[0],
    created: f[4],
    size,
    sharedSize: 0,
    layers: (f.length - 8) / 2,
    platform: { os: f[5], architecture: f[6] },
    reference,
    repository: reference === null ? '<none>' : reference.slice(0, colon),
    tag: reference === null ? '<none>' : reference.slice(colon + 1),
    pulledAt: entry.annotations?.[PULLED] ?? null,
  });
}
const { compare } = new Intl.Collator();
rows.sort((a, b) => compare(b.created ?? '', a.created ?? '') || compare(a.reference ?? '', b.reference ?? ''));
process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
