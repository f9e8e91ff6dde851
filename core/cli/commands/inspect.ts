import type { Command } from 'commander';
import type { ContainerDetail } from '../../api/containers.schema.js';
import { call, type EngineClient } from '../../api/engineClient.js';
import type { ImageDetail } from '../../api/images.schema.js';
import { describeError, StevedoreError } from '../../errors.js';
import { formatBytes, relativeTime } from '../../text/humanize.js';
import { action, print, printJson } from '../context.js';
import { dockerContainer, dockerImage } from '../dockerInspect.js';
import { formatObject } from '../objectTemplate.js';
import { withClient } from '../withClient.js';

type Found = { kind: 'container'; detail: ContainerDetail } | { kind: 'image'; detail: ImageDetail };

/** As docker: a container of that name or ID comes first, then an image. */
async function find(client: EngineClient, ref: string, type: string | undefined): Promise<Found> {
  if (type !== 'image') {
    try {
      return { kind: 'container', detail: await call(client, 'containers.inspect', { id: ref }) };
    } catch (err) {
      if (type === 'container') throw err;
    }
  }
  return { kind: 'image', detail: await call(client, 'images.inspect', { ref }) };
}

/** Stevedore's own shape (`--json`): a container's detail; an image's with its manifest and config parsed. */
function ownShape(found: Found): unknown {
  if (found.kind === 'container') return found.detail;
  const { manifestJson: _m, configJson: _c, ...rest } = found.detail;
  return { ...rest, manifest: JSON.parse(found.detail.manifestJson), imageConfig: JSON.parse(found.detail.configJson) };
}

async function dockerShape(client: EngineClient, found: Found): Promise<Record<string, unknown>> {
  if (found.kind === 'image') return dockerImage(found.detail);
  let image: ImageDetail | undefined;
  try {
    image = await call(client, 'images.inspect', { ref: found.detail.imageId });
  } catch {
    image = undefined;
  }
  return dockerContainer(found.detail, image);
}

function summary(d: ImageDetail): string {
  const platform = [d.platform.os, d.platform.architecture, d.platform.variant].filter(Boolean).join('/');
  return [
    `Image ID:      ${d.id}`,
    `Names:         ${d.references.join(', ') || '<none>'}`,
    `Digest:        ${d.digest}`,
    `Media type:    ${d.mediaTypeLabel} (${d.mediaType})`,
    ...(d.manifestDigest !== d.digest ? [`Manifest:      ${d.manifestDigest}`] : []),
    `Platform:      ${platform}`,
    `Created:       ${d.created ?? 'N/A'} (${relativeTime(d.created)})`,
    `Size:          ${formatBytes(d.size)}`,
    `Entrypoint:    ${JSON.stringify(d.config.entrypoint)}`,
    `Cmd:           ${JSON.stringify(d.config.cmd)}`,
    `WorkingDir:    ${d.config.workingDir ?? ''}`,
    `User:          ${d.config.user ?? ''}`,
    `Exposed ports: ${d.config.exposedPorts.join(', ')}`,
    'Env:',
    ...d.config.env.map((e) => `  ${e}`),
    'Labels:',
    ...Object.entries(d.config.labels).map(([k, v]) => `  ${k}=${v}`),
    'Layers:',
    ...d.layers.map((l, i) => `  ${i + 1}. ${l.digest}  ${formatBytes(l.size)}  ${l.mediaType}  diff ${l.diffId ?? '?'}`),
    'History:',
    ...d.history.map((h) => `  ${h.emptyLayer ? '(no layer) ' : ''}${h.createdBy || h.comment || ''}`),
  ].join('\n');
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('Show containers and images as docker does (a JSON array); --json for Stevedore’s own shape')
    .argument('<refs...>', 'container names or IDs; image names, IDs or digests')
    .option('--type <type>', 'container or image, when a name could be either')
    .option('-f, --format <template>', 'Go template per object: {{.State.Status}}, {{json .Config}} …')
    .option('--json', 'Stevedore’s own JSON shape')
    .option('--summary', 'an image as a few lines of text')
    .action(
      action(
        async (refs: string[], opts: { json?: boolean; type?: string; format?: string; summary?: boolean }, cmd: Command) => {
          if (opts.type !== undefined && opts.type !== 'container' && opts.type !== 'image') {
            throw new StevedoreError('INVALID_ARGUMENT', `invalid --type "${opts.type}": use container or image`);
          }
          return withClient(cmd, async (client) => {
            const found: Found[] = [];
            const failures: string[] = [];
            for (const ref of refs) {
              try {
                found.push(await find(client, ref, opts.type));
              } catch (err) {
                // docker prints what it found and names each of the others, then fails.
                if (refs.length === 1) throw err;
                failures.push(describeError(err).message);
              }
            }
            if (opts.summary) {
              const images = found.filter((f) => f.kind === 'image').map((f) => summary(f.detail as ImageDetail));
              if (images.length > 0) print(images.join('\n\n'));
            } else if (opts.json) {
              const own = found.map(ownShape);
              // One ref: the object itself, as before there were several.
              printJson(refs.length === 1 ? own[0] : own);
            } else if (opts.format !== undefined) {
              for (const f of found) print(formatObject(opts.format, await dockerShape(client, f)));
            } else {
              const shapes: Record<string, unknown>[] = [];
              for (const f of found) shapes.push(await dockerShape(client, f));
              print(JSON.stringify(shapes, null, 4));
            }
            for (const message of failures) process.stderr.write(`error: ${message}\n`);
            return failures.length > 0 ? 1 : 0;
          });
        },
      ),
    );
}
