// The pictures among a stage run's artifacts: image files, and image files inside directory artifacts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SqliteRunStore } from '../../store/run-store.js';
import type { ArtifactRecord, StageRunRecord } from '../../store/store-api.js';
import { fingerprintOf } from './ui-data.js';
import { contentTypeOf, isImageType, listFiles, pngSize } from './workspace-files.js';

export interface ArtifactImage {
  href: string; // URL served by the UI
  caption: string;
  /** Pixel size when known (PNG); small pictures are shown enlarged with sharp pixels. */
  width?: number;
  height?: number;
}

/** Contact sheets and grids (large) before single samples (small), then by name. */
function byImportance(a: ArtifactImage, b: ArtifactImage): number {
  const area = (i: ArtifactImage) => (i.width ?? 256) * (i.height ?? 256);
  return area(b) - area(a) || (a.caption < b.caption ? -1 : a.caption > b.caption ? 1 : 0);
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

function image(path: string, href: string, caption: string): ArtifactImage {
  return { href, caption, ...(pngSize(path) ?? {}) };
}

/** The stage run's pictures, the largest first; at most `limit` (`more` says some were left out). */
export function imagesOf(store: SqliteRunStore, stageRun: StageRunRecord, limit: number): { images: ArtifactImage[]; more: boolean } {
  const images: ArtifactImage[] = [];
  if (stageRun.status !== 'succeeded' && stageRun.status !== 'cached') return { images, more: false };
  for (const a of store.artifactsOf(stageRun.id)) {
    if (!existsSync(a.objectPath)) continue;
    if (a.type === 'file') {
      const name = declaredName(stageRun, a);
      if (isImageType(contentTypeOf(a.objectPath, name))) images.push(image(a.objectPath, artifactHref(stageRun.id, a.name), name));
    } else {
      for (const f of listFiles(a.objectPath, 2000).files) {
        const path = join(a.objectPath, f.rel);
        if (isImageType(contentTypeOf(path, f.rel))) images.push(image(path, artifactHref(stageRun.id, a.name, f.rel), `${a.name}/${f.rel}`));
      }
    }
  }
  images.sort(byImportance);
  return { images: images.slice(0, limit), more: images.length > limit };
}
