/**
 * The `created_by` text BuildKit writes into an image's history for each instruction, so that
 * `stevedore history` reads like `docker history`: `RUN /bin/sh -c echo hi # buildkit`,
 * `ENV A=1`, `COPY --chown=1:1 app /srv # buildkit`, `CMD ["/bin/sh" "-c" "serve"]` …
 * The ` # buildkit` mark ends the lines of the instructions that run or copy.
 */
import { formatGoDuration } from './goDuration.js';
import { goPlainList, goQuote, goQuotedList, goQuoteRune } from './goFormat.js';
import type { AddInstruction, CopyInstruction, HealthcheckInstruction, KeyValue } from './instructionTypes.js';

const pairs = (list: readonly KeyValue[]) => list.map((p) => ` ${p.key}=${p.value}`).join('');

/** `RUN [|N K=V …] argv… # buildkit`, argv joined with spaces, the ARGs in scope first. */
export function runCreatedBy(args: readonly string[], argsInScope: readonly KeyValue[]): string {
  const prefix = argsInScope.length > 0 ? [`|${argsInScope.length}`, ...argsInScope.map((a) => `${a.key}=${a.value}`)] : [];
  return `RUN ${[...prefix, ...args].join(' ')} # buildkit`;
}

/** `COPY [--chown=…] [--chmod=…] src… <<EOF… dest # buildkit` (--from and --link are not shown). */
export function copyCreatedBy(instruction: CopyInstruction | AddInstruction): string {
  const parts: string[] = [instruction.kind];
  if (instruction.chown !== undefined && instruction.chown !== '') parts.push(`--chown=${instruction.chown}`);
  if (instruction.chmod !== undefined && instruction.chmod !== '') parts.push(`--chmod=${instruction.chmod}`);
  parts.push(...instruction.sources, ...instruction.inline.map((f) => `<<${f.name}`), instruction.dest);
  return `${parts.join(' ')} # buildkit`;
}

export const envCreatedBy = (list: readonly KeyValue[]) => `ENV${pairs(list)}`;
export const labelCreatedBy = (list: readonly KeyValue[]) => `LABEL${pairs(list)}`;

export function argCreatedBy(args: readonly { key: string; value?: string }[]): string {
  return `ARG ${args.map((a) => (a.value === undefined ? a.key : `${a.key}=${a.value}`)).join(' ')}`;
}

/** Go's `%q` of the final argv: `CMD ["/bin/sh" "-c" "serve"]`. */
export const cmdCreatedBy = (args: readonly string[]) => `CMD ${goQuotedList(args)}`;
export const entrypointCreatedBy = (args: readonly string[]) => `ENTRYPOINT ${goQuotedList(args)}`;

export const exposeCreatedBy = (ports: readonly string[]) => `EXPOSE ${goPlainList(ports)}`;
export const volumeCreatedBy = (volumes: readonly string[]) => `VOLUME ${goPlainList(volumes)}`;
export const shellCreatedBy = (shell: readonly string[]) => `SHELL ${goPlainList(shell)}`;

/** Go's `%q` of the health config struct, as BuildKit prints it: `&{["CMD-SHELL" "…"] "30s" "0s" "0s" "0s" '\x03'}`. */
export function healthcheckCreatedBy(h: HealthcheckInstruction): string {
  const durations = [h.interval, h.timeout, h.startPeriod, h.startInterval].map((d) => goQuote(formatGoDuration(d)));
  return `HEALTHCHECK &{${goQuotedList(h.test)} ${durations.join(' ')} ${goQuoteRune(h.retries)}}`;
}
