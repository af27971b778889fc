// Whether our ablations move AIC the way the paper's do: for every ablation row of a table that also has the
// paper's reported numbers, our AIC difference to the full model with its paired bootstrap interval (same
// test clips, same resamples), the paper's difference, and whether the signs agree. A difference counts as
// a finding only when its interval excludes zero; otherwise it is called inconclusive, whatever its sign.
// Computed from the built tables; nothing is assumed about the outcome.
import { excludesZero } from '../../metrics/bootstrap.js';
import type { BuiltTable, CellInterval } from './paper-tables-impl.js';

export interface AblationFinding {
  table: string;
  domain: string;
  method: string;
  ours: number;
  oursFull: number;
  /** Paired bootstrap interval of ours − oursFull (null when the rows are not of the same test clips). */
  interval: CellInterval | null;
  reported: number;
  reportedFull: number;
  /**
   * 'same' / 'opposite': our difference's interval excludes zero and its sign agrees / disagrees with the
   * paper's; 'inconclusive': the interval includes zero (or there is none).
   */
  direction: 'same' | 'opposite' | 'inconclusive';
}

export function ablationFindings(tables: readonly BuiltTable[]): AblationFinding[] {
  const findings: AblationFinding[] = [];
  for (const t of tables) {
    const oursFull = t.rows.find((r) => r.source === 'ours' && r.kind === 'base');
    if (!oursFull) continue;
    const repFull = t.rows.find((r) => r.source === 'reported' && r.method === oursFull.method);
    if (!repFull) continue;
    for (const column of t.columns.filter((c) => c.endsWith(' AIC'))) {
      const domain = column.slice(0, -' AIC'.length);
      const [a, b] = [oursFull.cells[column], repFull.cells[column]];
      if (a == null || b == null) continue;
      for (const row of t.rows.filter((r) => r.source === 'ours' && r.kind === 'ablation')) {
        const ours = row.cells[column];
        const reported = t.rows.find((r) => r.source === 'reported' && r.method === row.method)?.cells[column];
        if (ours == null || reported == null) continue;
        const interval = row.differences?.[column] ?? null;
        const significant = interval !== null && excludesZero(interval);
        findings.push({
          table: t.name,
          domain,
          method: row.method,
          ours,
          oursFull: a,
          interval: interval ? { low: interval.low, high: interval.high } : null,
          reported,
          reportedFull: b,
          direction: !significant ? 'inconclusive' : Math.sign(ours - a) === Math.sign(reported - b) ? 'same' : 'opposite',
        });
      }
    }
  }
  return findings;
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

/** Markdown lines: one bullet per comparison and a count of findings (empty when there is nothing to compare). */
export function ablationFindingLines(findings: readonly AblationFinding[]): string[] {
  if (findings.length === 0) return [];
  const lines = findings.map((f) => {
    const d = f.ours - f.oursFull;
    const ci = f.interval ? ` [${signed(f.interval.low)}, ${signed(f.interval.high)}]` : ' (no paired interval)';
    const verdict = f.direction === 'inconclusive' ? 'inconclusive (the interval includes 0)' : `a finding, ${f.direction} direction as the paper`;
    return `- ${f.domain}, ${f.method} (${f.table}): AIC ${signed(d)}${ci} vs the full model (ours), ${signed(f.reported - f.reportedFull)} (paper): ${verdict}`;
  });
  const significant = findings.filter((f) => f.direction !== 'inconclusive');
  const same = significant.filter((f) => f.direction === 'same').length;
  return [
    `${significant.length} of ${findings.length} ablation AIC differences are findings (their 95 % paired bootstrap interval over the same test clips excludes 0); ${same} of those ${significant.length} have the paper's sign. The other ${findings.length - significant.length} are inconclusive at this test-set size.`,
    '',
    ...lines,
  ];
}
