// Copy a finished ingest directory's manifest, report and the media the manifest names into another
// directory, hard-linking where possible (a persistent, resumable extraction directory → a fresh stage
// output). Leftover pairs of other settings in the source are not carried over.
import { copyFile, link, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readIngestManifest } from './manifest.js';
import { REPORT_JSON, REPORT_MD } from './report.js';

async function linkOrCopy(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await rm(to, { force: true });
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

export async function publishIngestDir(fromDir: string, toDir: string): Promise<number> {
  const rows = readIngestManifest(join(fromDir, 'manifest.csv'));
  for (const f of ['manifest.csv', REPORT_JSON, REPORT_MD]) await linkOrCopy(join(fromDir, f), join(toDir, f));
  for (const r of rows) {
    await linkOrCopy(r.audioPath, join(toDir, r.audio));
    await linkOrCopy(r.imagePath, join(toDir, r.image));
  }
  return rows.length;
}
