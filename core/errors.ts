/**
 * Every failure the engine reports to a person is a StevedoreError: a stable code for programs
 * (the UI, the CLI's exit status, tests) and one sentence for people.
 */
export const errorCodes = [
  'INVALID_ARGUMENT',
  'INVALID_REFERENCE',
  'INVALID_DIGEST',
  'DIGEST_MISMATCH',
  'SIZE_MISMATCH',
  'INVALID_MANIFEST',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_ARCHIVE',
  'UNSAFE_PATH',
  'NOT_FOUND',
  'IMAGE_NOT_FOUND',
  'BLOB_NOT_FOUND',
  'CONFLICT',
  'STORE_CORRUPT',
  'LOCKED',
  'CANCELLED',
  'UNAUTHORIZED',
  'DENIED',
  'TOO_MANY_REQUESTS',
  'REGISTRY_ERROR',
  'UNREACHABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class StevedoreError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StevedoreError';
    this.code = code;
  }
}

export function isStevedoreError(err: unknown): err is StevedoreError {
  return err instanceof StevedoreError;
}

/**
 * What a parser shared with the app (core/api: `-p`, `-v`) read, or its one-sentence refusal
 * thrown as INVALID_ARGUMENT.
 */
export function acceptedOrThrow<T>(parsed: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!parsed.ok) throw new StevedoreError('INVALID_ARGUMENT', parsed.message);
  return parsed.value;
}

/** Anything thrown, as one line a person can read. */
export function describeError(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof StevedoreError) return { code: err.code, message: oneLine(err.message) };
  const nodeErr = err as NodeJS.ErrnoException | undefined;
  if (nodeErr && typeof nodeErr === 'object' && typeof nodeErr.code === 'string') {
    const where = nodeErr.path ? `: ${nodeErr.path}` : '';
    switch (nodeErr.code) {
      case 'ENOENT':
        return { code: 'NOT_FOUND', message: `no such file or directory${where}` };
      case 'EACCES':
      case 'EPERM':
        return { code: 'INVALID_ARGUMENT', message: `permission denied${where}` };
      case 'ENOSPC':
        return { code: 'INTERNAL', message: `no space left on device${where}` };
      case 'EISDIR':
        return { code: 'INVALID_ARGUMENT', message: `is a directory${where}` };
      case 'ENOTDIR':
        return { code: 'INVALID_ARGUMENT', message: `not a directory${where}` };
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: oneLine(message) };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
