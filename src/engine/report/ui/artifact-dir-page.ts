// A directory artifact (or a directory inside one): its files, with the pictures shown.
import { join } from 'node:path';
import { formatBytes } from '../format-number.js';
import type { StageRunRecord } from '../../store/store-api.js';
import { artifactHref } from './artifact-images.js';
import { html } from './html.js';
import { page } from './layout.js';
import { gallery } from './run-page.js';
import { uiTable } from './ui-table.js';
import { contentTypeOf, isImageType, listFiles, pngSize } from './workspace-files.js';

const LIST_LIMIT = 2000;

export function artifactDirPage(workspace: string, stageRun: StageRunRecord, artifact: string, dir: string, sub: readonly string[]): string {
  const { files, truncated } = listFiles(dir, LIST_LIMIT);
  const prefix = sub.length > 0 ? `${sub.join('/')}/` : '';
  const href = (rel: string) => artifactHref(stageRun.id, artifact, `${prefix}${rel}`);
  const images = files.filter((f) => isImageType(contentTypeOf(join(dir, f.rel), f.rel))).map((f) => ({ href: href(f.rel), caption: f.rel, ...(pngSize(join(dir, f.rel)) ?? {}) }));
  const body = html`<h2>Files</h2>
${uiTable([{ label: 'file' }, { label: 'size', className: 'num' }], files.map((f) => ({ cells: [html`<a href="${href(f.rel)}">${f.rel}</a>`, formatBytes(f.size)] })), 'empty directory')}
${truncated ? html`<p class="note">only the first ${LIST_LIMIT} files are listed</p>` : ''}
${images.length > 0 ? html`<h2>Images</h2>${gallery(images)}` : ''}`;
  return page({
    title: `${artifact}/${prefix}`,
    subtitle: `artifact of ${stageRun.stageId}, stage run ${stageRun.id}`,
    crumbs: [
      ['runs', '/'],
      [`run ${stageRun.runId}`, `/runs/${stageRun.runId}`],
      [stageRun.stageId, `/stage-runs/${stageRun.id}`],
    ],
    workspace,
    body,
  });
}
