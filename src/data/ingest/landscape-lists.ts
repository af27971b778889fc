// Landscape's labels CSV and optional official split lists.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Split } from '../manifest/index.js';
import { CsvError, parseCsv } from '../tabular/csv.js';
import { IngestError } from './errors.js';
import { LANDSCAPE_LABELS, normalizeLandscapeLabel } from './labels.js';

const ID_COLUMNS = ['id', 'clip', 'video', 'file', 'name'];
const LABEL_COLUMNS = ['label', 'class', 'category'];
const MEDIA_EXT = /\.(wav|png|jpe?g|mp4|mkv|webm|mov|avi|m4v|flac|mp3)$/i;

/** An id as written in a list: trimmed, directory and media extension removed. */
export function listId(raw: string): string {
  return raw.trim().replace(/^.*[\\/]/, '').replace(MEDIA_EXT, '');
}

/** id (video id or clip id) → Landscape class. CRLF or LF; errors name the file and line. */
export function readLandscapeLabels(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new IngestError(`${path}: cannot read the labels CSV (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let records;
  try {
    records = parseCsv(text, path);
  } catch (e) {
    if (e instanceof CsvError) throw new IngestError(e.message);
    throw e;
  }
  if (records.length === 0) throw new IngestError(`${path}: empty labels CSV (expected a header 'id,label')`);
  const header = records[0]!.fields.map((h) => h.trim().toLowerCase());
  const idAt = header.findIndex((h) => ID_COLUMNS.includes(h));
  const labelAt = header.findIndex((h) => LABEL_COLUMNS.includes(h));
  if (idAt < 0 || labelAt < 0) {
    throw new IngestError(`${path}:1: the header needs an id column (${ID_COLUMNS.join(', ')}) and a label column (${LABEL_COLUMNS.join(', ')}); found '${records[0]!.fields.join(',')}'`);
  }
  const labels = new Map<string, string>();
  const lineOf = new Map<string, number>();
  for (const { line, fields } of records.slice(1)) {
    const id = listId(fields[idAt] ?? '');
    const raw = fields[labelAt] ?? '';
    if (id === '' && raw.trim() === '') continue;
    if (id === '') throw new IngestError(`${path}:${line}: empty id`);
    const label = normalizeLandscapeLabel(raw);
    if (!label) throw new IngestError(`${path}:${line}: label '${raw}' is not a Landscape class (${LANDSCAPE_LABELS.join(', ')})`);
    const previous = labels.get(id);
    if (previous !== undefined && previous !== label) throw new IngestError(`${path}:${line}: '${id}' is labelled '${label}' here but '${previous}' on line ${lineOf.get(id)}`);
    labels.set(id, label);
    lineOf.set(id, line);
  }
  return labels;
}

/** Official split lists `<dir>/{train,val,test}.txt` (any present): id → split. Null when none exists. */
export function readSplitLists(dir: string): Map<string, Split> | null {
  const splits: Split[] = ['train', 'val', 'test'];
  const files = splits.map((s) => ({ s, path: join(dir, `${s}.txt`) })).filter((f) => existsSync(f.path));
  if (files.length === 0) return null;
  const out = new Map<string, Split>();
  const where = new Map<string, string>();
  for (const { s, path } of files) {
    readFileSync(path, 'utf8').split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const id = listId(line);
      const previous = out.get(id);
      if (previous !== undefined && previous !== s) throw new IngestError(`${path}:${i + 1}: '${id}' is also listed in ${where.get(id)}`);
      out.set(id, s);
      where.set(id, `${path}:${i + 1}`);
    });
  }
  return out;
}
