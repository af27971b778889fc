// The ingest report: what was produced, reused, filtered and skipped (with reasons), as JSON and Markdown.
import { join } from 'node:path';
import { writeFileAtomic } from '../media/atomic-write.js';

export interface SkippedEntry {
  /** Path relative to the dataset root. */
  file: string;
  /** The pair id when a single pair failed; absent when the whole file was skipped. */
  id?: string;
  reason: string;
}

export interface IngestReport {
  dataset: 'landscape' | 'greatest-hits' | 'ravdess';
  root: string;
  /** Pairs in the manifest. */
  pairs: number;
  /** Pairs whose audio and image were written by this run. */
  extracted: number;
  /** Pairs whose complete files were already there. */
  reused: number;
  /** Files or pairs that failed. */
  skipped: SkippedEntry[];
  /** Files deliberately left out (e.g. RAVDESS speech), counted by reason. */
  filtered: Record<string, number>;
  /** Pairs per split and per label ('' = unlabeled). */
  splits: Record<string, number>;
  labels: Record<string, number>;
  /** Pairs dropped by maxItems. */
  limitedOut: number;
  /** Pairs placed by official split lists. */
  officialSplit: number;
  notes: string[];
  options: Record<string, unknown>;
}

export const REPORT_JSON = 'ingest-report.json';
export const REPORT_MD = 'ingest-report.md';

function table(title: string, counts: Record<string, number>): string[] {
  const keys = Object.keys(counts).sort();
  if (keys.length === 0) return [];
  return [`## ${title}`, '', '| | count |', '|---|---|', ...keys.map((k) => `| ${k === '' ? '(unlabeled)' : k} | ${counts[k]} |`), ''];
}

export function reportMarkdown(r: IngestReport): string {
  const lines = [
    `# Ingest report: ${r.dataset}`,
    '',
    `- root: \`${r.root}\``,
    `- pairs: ${r.pairs} (extracted now: ${r.extracted}, already complete: ${r.reused})`,
    `- skipped: ${r.skipped.length}`,
    ...(r.limitedOut > 0 ? [`- left out by maxItems: ${r.limitedOut}`] : []),
    ...(r.officialSplit > 0 ? [`- placed by official split lists: ${r.officialSplit}`] : []),
    '',
    ...table('Splits', r.splits),
    ...table('Labels', r.labels),
    ...table('Filtered (not used, by design)', r.filtered),
  ];
  if (r.skipped.length > 0) {
    lines.push('## Skipped', '', '| file | pair | reason |', '|---|---|---|');
    for (const s of r.skipped) lines.push(`| \`${s.file}\` | ${s.id ?? ''} | ${s.reason.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')} |`);
    lines.push('');
  }
  if (r.notes.length > 0) lines.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return `${lines.join('\n')}`;
}

export async function writeIngestReport(outDir: string, report: IngestReport): Promise<void> {
  await writeFileAtomic(join(outDir, REPORT_JSON), Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8'));
  await writeFileAtomic(join(outDir, REPORT_MD), Buffer.from(reportMarkdown(report), 'utf8'));
}
