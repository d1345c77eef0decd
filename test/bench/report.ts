/** The bench's table: each figure, its goal, its baseline, PASS/FAIL. */
import { cpus, totalmem } from 'node:os';

export interface Row {
  readonly figure: string;
  readonly value: string;
  readonly goal: string;
  readonly baseline?: string;
  /** undefined: printed only, no goal. */
  readonly pass?: boolean;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export const ms = (v: number): string => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
export const pct = (v: number): string => `${(v * 100).toFixed(0)} %`;
export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

export function machine(): string {
  const list = cpus();
  return `${list.length} × ${list[0]?.model.trim() ?? 'unknown cpu'}, ${mb(totalmem())} RAM, node ${process.version}, ${process.platform}/${process.arch}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/** The table as aligned text. */
export function table(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.figure, r.value, r.goal, r.baseline ?? '', r.pass === undefined ? '—' : r.pass ? 'PASS' : 'FAIL']);
  const head = ['figure', 'measured', 'goal', 'baseline (same run)', 'result'];
  const widths = head.map((h, i) => Math.max([...h].length, ...cells.map((c) => [...(c[i] ?? '')].length)));
  const line = (c: readonly string[]) => c.map((x, i) => pad(x, widths[i] ?? 0)).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}
