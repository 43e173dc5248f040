import type { Figures } from './compare';
import type { RowResult } from './rows';

const number = (value: number | undefined, digits = 1) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));

export const describeFigures = (figures: Figures | undefined): string =>
  figures ? `${number(figures.rate, 0)}/s p50 ${number(figures.p50)} p99 ${number(figures.p99)} ms err ${figures.errors}/${figures.non2xx}` : '—';

const ratioCell = (row: RowResult): string => {
  if (row.ratio === undefined) return '—';
  if (row.id === 'commands_throughput') return `${number(row.ratio, 0)}/s`;
  if (row.id === 'commands_fixed_rate') return `p99 ${number(row.ratio)} ms`;
  return `${number(row.ratio, 2)}×`;
};

/** A row as it finishes: every figure, the peer's and the ratio. */
export function rowDetail(row: RowResult): string {
  if (row.error) return `${row.id}: FAILED ${row.error}`;
  const lines = [`${row.id}: ${row.title}`, `  ours: ${describeFigures(row.ours)}`];
  if (row.peer) lines.push(`  ${row.peerName}: ${describeFigures(row.peer)}`);
  lines.push(`  ratio ${ratioCell(row)}, target ${row.target}: ${row.met ? 'met' : 'not met'}`);
  for (const note of row.notes ?? []) lines.push(`  ${note}`);
  return lines.join('\n');
}

/** The closing table: row | ours | peer | ratio | target | met? (err = errors/non-2xx). */
export function finalTable(rows: RowResult[]): string {
  const header = ['row', 'ours', 'peer', 'ratio', 'target', 'met?'];
  const lines = rows.map((row) => [
    row.id,
    row.error ? `FAILED: ${row.error.split('\n')[0].slice(0, 60)}` : describeFigures(row.ours),
    row.peer ? `${row.peerName}: ${describeFigures(row.peer)}` : '—',
    ratioCell(row),
    row.target,
    row.error ? 'error' : row.met ? 'yes' : 'no',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [render(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(render)].join('\n');
}
