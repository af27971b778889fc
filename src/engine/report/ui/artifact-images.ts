// The pictures among a stage run's artifacts: image files, and image files inside directory artifacts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SqliteRunStore } from '../../store/run-store.js';
import type { ArtifactRecord, StageRunRecord } from '../../store/store-api.js';
import { fingerprintOf } from './ui-data.js';
import { contentTypeOf, isImageType, listFiles } from './workspace-files.js';

export interface ArtifactImage {
  href: string; // URL served by the UI
  caption: string;
}

/** URL of an artifact (or of a file inside a directory artifact) of a stage run. */
export function artifactHref(stageRunId: number, artifact: string, rel?: string): string {
  const tail = rel === undefined ? '' : `/${rel.split('/').map(encodeURIComponent).join('/')}`;
  return `/stage-runs/${stageRunId}/files/${encodeURIComponent(artifact)}${tail}`;
}

/** A file artifact's declared name (its output path), which carries the extension the object lacks. */
export function declaredName(stageRun: StageRunRecord, artifact: ArtifactRecord): string {
  return fingerprintOf(stageRun).outputs[artifact.name] ?? artifact.name;
}

export function imagesOf(store: SqliteRunStore, stageRun: StageRunRecord, limit: number): { images: ArtifactImage[]; more: boolean } {
  const images: ArtifactImage[] = [];
  if (stageRun.status !== 'succeeded' && stageRun.status !== 'cached') return { images, more: false };
  for (const a of store.artifactsOf(stageRun.id)) {
    if (!existsSync(a.objectPath)) continue;
    if (a.type === 'file') {
      const name = declaredName(stageRun, a);
      if (isImageType(contentTypeOf(a.objectPath, name))) images.push({ href: artifactHref(stageRun.id, a.name), caption: `${stageRun.stageId} · ${name}` });
    } else {
      const { files } = listFiles(a.objectPath, 2000);
      for (const f of files) {
        if (!isImageType(contentTypeOf(join(a.objectPath, f.rel), f.rel))) continue;
        images.push({ href: artifactHref(stageRun.id, a.name, f.rel), caption: `${stageRun.stageId} · ${a.name}/${f.rel}` });
      }
    }
    if (images.length > limit) return { images: images.slice(0, limit), more: true };
  }
  return { images, more: false };
}
