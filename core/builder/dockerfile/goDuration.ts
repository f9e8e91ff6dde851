/** Go's time.Duration as Docker reads HEALTHCHECK flags and writes them back into history. */

const unitNanos: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** `1m30s`, `500ms`, `1.5h`, `0` → nanoseconds; undefined when it is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  const match = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const part of (match[2] ?? '').matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (unitNanos[part[2] ?? ''] ?? 0);
  }
  return Math.round(match[1] === '-' ? -total : total);
}

function fraction(value: number, digits: number): { whole: number; text: string } {
  const scale = 10 ** digits;
  const whole = Math.floor(value / scale);
  const frac = String(value % scale)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return { whole, text: frac === '' ? '' : `.${frac}` };
}

/** Go's Duration.String: `0s`, `300ms`, `1.5s`, `1m30s`, `1h0m0s`. */
export function formatGoDuration(nanos: number): string {
  const sign = nanos < 0 ? '-' : '';
  const u = Math.abs(Math.round(nanos));
  if (u === 0) return '0s';
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) {
    const f = fraction(u, 3);
    return `${sign}${f.whole}${f.text}µs`;
  }
  if (u < 1e9) {
    const f = fraction(u, 6);
    return `${sign}${f.whole}${f.text}ms`;
  }
  const f = fraction(u, 9);
  let seconds = f.whole;
  let out = `${seconds % 60}${f.text}s`;
  seconds = Math.floor(seconds / 60);
  if (seconds > 0) {
    out = `${seconds % 60}m${out}`;
    const hours = Math.floor(seconds / 60);
    if (hours > 0) out = `${hours}h${out}`;
  }
  return sign + out;
}
