/** The outcome of one injected fault. */
export interface FaultRow {
  fault: string;
  accepted: number;
  terminal: number;
  stuck: number;
  doubled: number;
  /** Seconds from the fault's end (the kill, or the broker/database being back) to serving again; undefined = never. */
  recoverySeconds?: number;
  /** Processes that died (were restarted) besides the one killed. */
  deaths: string[];
  readModelDifferences: string[];
  error?: string;
}

export const rowFailed = (row: FaultRow): boolean =>
  Boolean(row.error) || row.stuck > 0 || row.doubled > 0 || row.deaths.length > 0 || row.readModelDifferences.length > 0 || row.recoverySeconds === undefined;

export function faultTable(rows: FaultRow[]): string {
  const header = ['fault', 'accepted', 'terminal', 'stuck', 'doubled', 'recovery seconds', 'deaths', 'read models', 'ok?'];
  const lines = rows.map((row) => [
    row.fault,
    String(row.accepted),
    String(row.terminal),
    String(row.stuck),
    String(row.doubled),
    row.recoverySeconds === undefined ? 'never' : row.recoverySeconds.toFixed(1),
    row.deaths.join(', ') || '—',
    row.error ? `error: ${row.error.split('\n')[0].slice(0, 60)}` : row.readModelDifferences.map((difference) => difference.split(' ')[0]).join(', ') || 'equal rebuild',
    rowFailed(row) ? 'FAIL' : 'ok',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [render(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}
