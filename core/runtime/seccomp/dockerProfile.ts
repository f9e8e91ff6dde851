import { z } from 'zod';
import { StevedoreError } from '../../errors.js';

/**
 * A seccomp profile in docker's format (`docker run --security-opt seccomp=FILE`; moby's
 * profiles/seccomp types): the runtime spec's seccomp, plus `names`, `archMap` and the
 * `includes`/`excludes` conditions that docker resolves against the host and the container.
 */
const action = z.enum([
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
]);
const operator = z.enum([
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
]);
const argument = z.object({
  index: z.number().int().min(0).max(5),
  value: z.number().int().nonnegative(),
  valueTwo: z.number().int().nonnegative().optional(),
  op: operator,
});
const condition = z.object({
  caps: z.array(z.string()).nullish(),
  arches: z.array(z.string()).nullish(),
  minKernel: z.string().nullish(),
});
const syscall = z
  .object({
    name: z.string().optional(),
    names: z.array(z.string()).nullish(),
    action,
    errnoRet: z.number().int().nonnegative().nullish(),
    args: z.array(argument).nullish(),
    includes: condition.nullish(),
    excludes: condition.nullish(),
    comment: z.string().nullish(),
  })
  .refine((s) => !(s.name && s.names?.length), { message: "a rule has both 'name' and 'names'" })
  .refine((s) => s.name || s.names?.length, { message: 'a rule names no syscall' });
export const dockerSeccompProfile = z
  .object({
    defaultAction: action,
    defaultErrnoRet: z.number().int().nonnegative().nullish(),
    architectures: z.array(z.string()).nullish(),
    archMap: z.array(z.object({ architecture: z.string(), subArchitectures: z.array(z.string()).nullish() })).nullish(),
    syscalls: z.array(syscall).nullish(),
    flags: z.array(z.string()).nullish(),
  })
  .refine((p) => !(p.architectures?.length && p.archMap?.length), {
    message: "both 'architectures' and 'archMap' are given",
  });
export type DockerSeccompProfile = z.infer<typeof dockerSeccompProfile>;

/** The profile in `text` (from `source`, named in the error), or one sentence saying what is wrong. */
export function parseSeccompProfile(text: string, source: string): DockerSeccompProfile {
  const refuse = (why: string) => new StevedoreError('INVALID_ARGUMENT', `the seccomp profile ${source} is not valid: ${why}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw refuse((err as Error).message);
  }
  const parsed = dockerSeccompProfile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refuse(`${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'unknown'}`);
  }
  return parsed.data;
}
