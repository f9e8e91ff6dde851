import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  AGENT_BLOBS_PATH,
  AGENT_BUILD_STEP_PATH,
  type AgentBuildStep,
  type AgentBuildStepLine,
  type AgentStepMount,
} from '../client/agentProtocol.js';
import type { Digest } from '../digest/digest.js';
import { type ErrorCode, StevedoreError } from '../errors.js';
import type { BuildStepRequest, BuildStepResult, StepMount } from '../runtime/buildStep/buildStepRequest.js';
import type { Store } from '../store/store.js';
import type { AgentEndpoint } from './agentClient.js';
import { agentHttp, jsonBody, refusal } from './agentHttp.js';
import { fetchGuestLayer } from './guestLayer.js';
import type { RunRecord } from './machineRun.js';
import { guestPathOf } from './sharedPath.js';

/** The step's layers in the guest's store: each it lacks sent by digest (the agent checks the bytes). */
async function sendLayers(store: Store, agent: AgentEndpoint, request: BuildStepRequest): Promise<void> {
  for (const { descriptor } of request.layers) {
    const path = `${AGENT_BLOBS_PATH}${descriptor.digest}`;
    const there = await agentHttp(agent, 'HEAD', path);
    there.resume();
    if (there.statusCode === 200) continue;
    const file = store.blobPath(descriptor.digest as Digest);
    const sent = await agentHttp(agent, 'PUT', path, {
      stream: createReadStream(file),
      length: statSync(file).size,
      type: 'application/octet-stream',
    });
    if (sent.statusCode !== 200) throw await refusal(sent, `the layer ${descriptor.digest} could not be sent to the machine`);
    sent.resume();
  }
}

/**
 * A step's mount as the agent takes it: a bind's source through the machine's share of the host's
 * files, a secret's value in the request (the guest writes it to a private file, removed after the
 * step, as here). A cache is the guest's own, on its data disk: kept across the machine's builds.
 */
function agentMount(mount: StepMount, share: RunRecord['share']): AgentStepMount {
  switch (mount.type) {
    case 'bind':
      return { ...mount, source: guestPathOf(mount.source, share, 'RUN --mount=type=bind mounts') };
    case 'secret':
      return { ...mount, value: mount.value.toString('base64') };
    case 'socket':
      throw new StevedoreError(
        'INVALID_ARGUMENT',
        'RUN --mount=type=ssh is not available through the machine: the agent’s socket is on this computer, out of the guest’s reach',
      );
    default:
      return mount;
  }
}

/** The step as the agent takes it. */
function agentStep(request: BuildStepRequest, share: RunRecord['share']): AgentBuildStep {
  return {
    layers: request.layers.map((l) => ({
      descriptor: { mediaType: l.descriptor.mediaType, digest: l.descriptor.digest, size: l.descriptor.size },
      diffId: l.diffId,
    })),
    process: { ...request.process, mounts: request.process.mounts.map((m) => agentMount(m, share)) },
    files: request.files,
    ...(request.sourceDateEpoch !== undefined ? { sourceDateEpoch: request.sourceDateEpoch } : {}),
  };
}

/**
 * A build's RUN step in the machine: the layers it runs over sent to the guest by digest (what
 * the guest has it keeps), its mounts as the guest makes them (agentMount), the step run there by the agent's native runtime with its output
 * passed on as it comes, and the new layer fetched into this store, checked on arrival against
 * both the digest and the diff ID the guest gave for it.
 */
export async function runBuildStepInGuest(
  store: Store,
  agent: AgentEndpoint,
  request: BuildStepRequest,
  share: RunRecord['share'],
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void,
): Promise<BuildStepResult> {
  const step = agentStep(request, share);
  await sendLayers(store, agent, request);
  const res = await agentHttp(agent, 'POST', AGENT_BUILD_STEP_PATH, jsonBody(step));
  if (res.statusCode !== 200) throw await refusal(res, 'the machine refused the build step');
  // A cancelled build hangs up: the agent kills the step's container when the host is gone.
  const hangUp = () => res.destroy(new StevedoreError('CANCELLED', 'the build was cancelled'));
  request.signal?.addEventListener('abort', hangUp, { once: true });
  let layer: Extract<AgentBuildStepLine, { layer: unknown }>['layer'] | undefined;
  for await (const text of createInterface({ input: res, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (text === '') continue;
    const line = JSON.parse(text) as AgentBuildStepLine;
    if ('output' in line) onOutput(line.output.stream, line.output.text);
    else if ('error' in line) throw new StevedoreError(line.error.code as ErrorCode, line.error.message);
    else layer = line.layer;
  }
  request.signal?.removeEventListener('abort', hangUp);
  if (!layer) throw new StevedoreError('INTERNAL', 'the machine ended the build step without its layer');
  return fetchGuestLayer(store, agent, request.lease, layer, `the build step's layer from the machine`);
}
