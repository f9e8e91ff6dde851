import { z } from 'zod';
import { networkMode } from '../api/containers.schema.js';
import { isDigest } from '../digest/digest.js';

/**
 * What a machine's agent serves beside the engine socket's protocol (core/server/agentServer.ts),
 * each with the agent's token as `Authorization: Bearer`: the path an image archive is PUT to, to
 * be loaded into the guest's store (core/vm/imageTransfer.ts sends it); blobs by digest (HEAD: is
 * it there, PUT: stored if its bytes have that digest, GET: its bytes); a build's RUN step; the
 * guest's clock; and a shell in the guest.
 */
export const AGENT_LOAD_PATH = '/images/load';
export const AGENT_BLOBS_PATH = '/blobs/';
export const AGENT_BUILD_STEP_PATH = '/build/step';
/** POST {hostMs, set}: the guest clock's skew from the host's, and with `set` corrected (core/vm/guestClock.ts). */
export const AGENT_CLOCK_PATH = '/clock';

/**
 * A WebSocket for `stevedore machine shell`: a process in the guest itself, not in a container.
 * The host's first message is an AgentShellStart (JSON text); then binary messages are its input,
 * and text ones `{"resize":{cols,rows}}` or `{"eof":true}`. The agent sends output as binary
 * messages whose first byte is the stream (1 stdout, 2 stderr; a terminal's is all 1), and last
 * `{"exitCode":N}` as text.
 */
export const AGENT_SHELL_PATH = '/machine/shell';
export const agentShellStart = z.object({
  /** Empty: a login shell. */
  command: z.array(z.string()),
  tty: z.boolean(),
  cols: z.number().int().positive().max(1000),
  rows: z.number().int().positive().max(1000),
});
export type AgentShellStart = z.infer<typeof agentShellStart>;
export const agentShellControl = z.union([
  z.object({ resize: z.object({ cols: z.number().int().positive().max(1000), rows: z.number().int().positive().max(1000) }) }),
  z.object({ eof: z.literal(true) }),
]);

export const agentClockRequest = z.object({ hostMs: z.number().finite(), set: z.boolean() });
export interface AgentClockAnswer {
  /** The guest's clock minus the host's when the request arrived, in ms. */
  skewMs: number;
  corrected: boolean;
  /**
   * A set is still under way in the background (an earlier request's, or this one's): it puts the
   * clock to the host's time when it lands, whatever was done to the clock meanwhile.
   */
  setting: boolean;
}

const digest = z.string().refine(isDigest, 'not a digest');

/** An owner or a mode, as a mount gives them. */
const ownerOrMode = z.number().int().nonnegative();

/**
 * A RUN step's mount as the agent takes it (StepMount): a bind names a path of the host's through
 * the machine's share of its files, a secret carries its value (base64), a cache names the
 * guest's directory for its id. No socket: the host's agents are out of the guest's reach.
 */
export const agentStepMount = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tmpfs'), destination: z.string(), size: z.number().int().positive().optional() }),
  z.object({
    type: z.literal('cache'),
    destination: z.string(),
    id: z.string().regex(/^[0-9a-f]{32}$/, 'not a cache id'),
    readOnly: z.boolean(),
    mode: ownerOrMode,
    uid: ownerOrMode,
    gid: ownerOrMode,
  }),
  z.object({ type: z.literal('bind'), destination: z.string(), source: z.string(), readOnly: z.boolean() }),
  z.object({
    type: z.literal('secret'),
    destination: z.string(),
    value: z.string().base64(),
    mode: ownerOrMode,
    uid: ownerOrMode,
    gid: ownerOrMode,
  }),
]);
export type AgentStepMount = z.infer<typeof agentStepMount>;

/** A RUN step sent to the agent: BuildStepRequest's data, its layers already in the guest's store. */
export const agentBuildStep = z.object({
  layers: z.array(
    z.object({
      descriptor: z.object({ mediaType: z.string(), digest, size: z.number().int().nonnegative() }),
      diffId: digest,
    }),
  ),
  process: z.object({
    args: z.array(z.string()).min(1),
    env: z.array(z.string()),
    workingDir: z.string(),
    user: z.string(),
    network: networkMode,
    mounts: z.array(agentStepMount).optional(),
  }),
  files: z.array(z.object({ path: z.string(), content: z.string(), mode: z.number().int() })),
  sourceDateEpoch: z.number().int().optional(),
});
export type AgentBuildStep = z.infer<typeof agentBuildStep>;

/**
 * The agent's answer to a RUN step: newline-delimited JSON, the step's output as it comes, then
 * one line with the layer (left in the guest's store, to be fetched by digest) or the error.
 */
export type AgentBuildStepLine =
  | { output: { stream: 'stdout' | 'stderr'; text: string } }
  | { layer: { descriptor: { mediaType: string; digest: string; size: number }; diffId: string } }
  | { error: { code: string; message: string; exitCode?: number } };
