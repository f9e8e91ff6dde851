/** A time as docker's `CreatedAt` prints it: `2024-05-04 12:00:00 +0000 UTC` (always UTC here). */
export function dockerTimestamp(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}
