import type { z } from 'zod';
import { describeError, StevedoreError } from '../errors.js';
import { type Contract, contract, type InvokeResponse, isMethod, type Method, type Result } from './contract.js';

export type Handlers = { [M in Method]: (args: z.output<Contract[M]['args']>) => Promise<Result<M>> };

/**
 * The one door into the engine: refuses unknown methods and arguments that fail the contract,
 * and turns every failure into `{ code, message }`. Every transport calls this, nothing else.
 */
export class Router {
  constructor(private readonly handlers: Handlers) {}

  async invoke(method: string, args: unknown): Promise<InvokeResponse> {
    try {
      if (!isMethod(method)) throw new StevedoreError('INVALID_ARGUMENT', `unknown method "${method}"`);
      const parsed = contract[method].args.safeParse(args ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
        throw new StevedoreError('INVALID_ARGUMENT', `invalid arguments for ${method}${where}: ${issue?.message ?? 'invalid'}`);
      }
      const handler = this.handlers[method] as (a: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      // A failure that carries its own exit code (docker's 127 for a command not in the image)
      // keeps it across the wire, so a CLI driving a machine exits as it would here.
      const exitCode = (err as { exitCode?: unknown } | null | undefined)?.exitCode;
      return { ok: false, error: { ...describeError(err), ...(typeof exitCode === 'number' ? { exitCode } : {}) } };
    }
  }
}
