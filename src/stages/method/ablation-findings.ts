// Whether our ablations move AIC the way the paper's do: for every ablation row of a table that also has the
// paper's reported numbers, the AIC difference to the full model, ours and reported, and whether the signs
// agree. Differences are set against the binomial standard error of our full model's AIC, so a reader can
// tell a finding from sampling noise. Computed from the built tables; nothing is assumed about the outcome.
import { ABLATION_LABELS } from './ablation.js';
import type { BuiltTable } from './paper-tables-impl.js';

export interface AblationFinding {
  table: string;
  domain: string;
  method: string;
  ours: number;
  oursFull: number;
  reported: number;
  reportedFull: number;
  /** Binomial standard error of our full model's AIC over `images` test images (null when unknown). */
  standardError: number | null;
  /** Whether our AIC moved the way the paper's did ('none': ours did not move at all). */
  direction: 'same' | 'opposite' | 'none';
}

const FULL = ABLATION_LABELS.full;
const ABLATIONS = new Set(Object.values(ABLATION_LABELS).filter((m) => m !== FULL));

/** `imagesOf(domain)`: test images behind our AIC in that domain (for the standard error). */
export function ablationFindings(tables: readonly BuiltTable[], imagesOf: (domain: string) => number | undefined): AblationFinding[] {
  const findings: AblationFinding[] = [];
  for (const t of tables) {
    const row = (method: string, source: 'ours' | 'reported') => t.rows.find((r) => r.method === method && r.source === source);
    const oursFull = row(FULL, 'ours');
    const repFull = row(FULL, 'reported');
    if (!oursFull || !repFull) continue;
    for (const column of t.columns.filter((c) => c.endsWith(' AIC'))) {
      const domain = column.slice(0, -' AIC'.length);
      const [a, b] = [oursFull.cells[column], repFull.cells[column]];
      if (a == null || b == null) continue;
      for (const method of new Set(t.rows.map((r) => r.method))) {
        if (!ABLATIONS.has(method)) continue; // baselines (e.g. PnP (text)) are not ablations
        const ours = row(method, 'ours')?.cells[column];
        const reported = row(method, 'reported')?.cells[column];
        if (ours == null || reported == null) continue;
        const n = imagesOf(domain);
        findings.push({
          table: t.name,
          domain,
          method,
          ours,
          oursFull: a,
          reported,
          reportedFull: b,
          standardError: n ? Math.sqrt((a * (1 - a)) / n) : null,
          direction: ours === a ? 'none' : Math.sign(ours - a) === Math.sign(reported - b) ? 'same' : 'opposite',
        });
      }
    }
  }
  return findings;
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

/** Markdown lines: one bullet per finding and a count of agreements (empty when there is nothing to compare). */
export function ablationFindingLines(findings: readonly AblationFinding[]): string[] {
  if (findings.length === 0) return [];
  const lines = findings.map((f) => {
    const d = f.ours - f.oursFull;
    const noise = f.standardError !== null ? `; our full model's AIC has standard error ${f.standardError.toFixed(3)}${Math.abs(d) < 2 * f.standardError ? ', so this difference is within 2 s.e.' : ''}` : '';
    return `- ${f.domain}, ${f.method} (${f.table}): AIC ${signed(d)} vs the full model (ours), ${signed(f.reported - f.reportedFull)} (paper): ${f.direction === 'none' ? 'no change in ours' : `${f.direction} direction`}${noise}`;
  });
  const same = findings.filter((f) => f.direction === 'same').length;
  return [`${same} of ${findings.length} ablation AIC differences have the paper's sign.`, '', ...lines];
}
