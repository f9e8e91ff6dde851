import { StevedoreError } from '../errors.js';

/**
 * `--label KEY=VALUE` flags (and `--label-file` lines) as docker reads them
 * (ConvertKVStringsToMap): a bare `KEY` is an empty value, the last of a key wins, and a label
 * without a key is refused.
 */
export function parseLabelFlags(texts: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (key === '') throw new StevedoreError('INVALID_ARGUMENT', `invalid label "${text}": the key is empty`);
    labels[key] = eq < 0 ? '' : text.slice(eq + 1);
  }
  return labels;
}
