import { type ErrorCode, StevedoreError } from '../errors.js';

/**
 * Why a machine could not be used, for programs (the UI's machine indicator, tests), beside the
 * error's one sentence for people. The codes are the engine's existing ones.
 */
export type MachineFailure =
  | 'no-qemu'
  | 'did-not-boot'
  | 'timeout'
  | 'agent-version'
  | 'unsafe-path'
  | 'not-initialized'
  | 'exists'
  | 'running'
  | 'no-agent'
  | 'stopped'
  | 'agent-unreachable';

const codes: Record<MachineFailure, ErrorCode> = {
  'no-qemu': 'NOT_FOUND',
  'did-not-boot': 'INTERNAL',
  timeout: 'UNREACHABLE',
  'agent-version': 'CONFLICT',
  'unsafe-path': 'UNSAFE_PATH',
  'not-initialized': 'NOT_FOUND',
  exists: 'CONFLICT',
  running: 'CONFLICT',
  'no-agent': 'NOT_FOUND',
  stopped: 'UNREACHABLE',
  'agent-unreachable': 'UNREACHABLE',
};

export class MachineError extends StevedoreError {
  readonly failure: MachineFailure;
  /** The last lines of the guest's console, where there was a console. */
  readonly consoleTail: string[];

  constructor(failure: MachineFailure, message: string, consoleTail: string[] = []) {
    super(codes[failure], message);
    this.failure = failure;
    this.consoleTail = consoleTail;
  }
}
