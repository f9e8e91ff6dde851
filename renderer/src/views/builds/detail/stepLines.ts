import type { BuildOutput } from '../../../../../core/api/builds.schema';
import type { LogLine } from '../../containers/detail/logs/useLogStream';

/**
 * One step's output as lines: the chunks a RUN wrote, joined per stream (a line may arrive in
 * several chunks) and cut at newlines, in the order the lines were completed. A last line without
 * a newline is shown too, marked partial. Build output has no times: `time` is empty.
 */
export function stepLines(output: readonly BuildOutput[], step: number): LogLine[] {
  const lines: LogLine[] = [];
  const pending: Record<BuildOutput['stream'], string> = { stdout: '', stderr: '' };
  const push = (stream: BuildOutput['stream'], text: string, partial: boolean) =>
    lines.push({ time: '', stream, text: text.replace(/\r$/, ''), seq: lines.length, ...(partial ? { partial } : {}) });
  for (const chunk of output) {
    if (chunk.step !== step) continue;
    const parts = (pending[chunk.stream] + chunk.text).split('\n');
    pending[chunk.stream] = parts.pop() ?? '';
    for (const line of parts) push(chunk.stream, line, false);
  }
  for (const stream of ['stdout', 'stderr'] as const) if (pending[stream] !== '') push(stream, pending[stream], true);
  return lines;
}
