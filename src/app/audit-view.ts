// One-line summaries of audit records for `gate audit tail`.

export function formatRecordLine(record: Record<string, unknown>): string {
  const parts = [String(record.seq ?? '?').padStart(6), String(record.ts ?? ''), String(record.event ?? '').padEnd(8), String(record.actor ?? '')];
  if (record.request_id) parts.push(String(record.request_id).slice(0, 8));
  if (Array.isArray(record.argv)) parts.push((record.argv as string[]).join(' '));
  if (record.decision) parts.push(`decision=${String(record.decision)}`);
  if (Array.isArray(record.rules) && record.rules.length > 0) parts.push(`rules=${(record.rules as string[]).join(',')}`);
  if (record.exit !== undefined && record.exit !== null) parts.push(`exit=${String(record.exit)}`);
  if (record.code) parts.push(`code=${String(record.code)}`);
  return parts.join('  ');
}
