import type { StageContext } from '../../engine/stage/stage-definition.js';
import { loadClips, loadImages } from '../../encoders/toy/toy-media.js';
import { audioImageContent, audioImageSimilarity, imageImageSimilarity } from '../../metrics/paper-metrics.js';
import { frechetDistanceOfFeatures } from '../../metrics/frechet-distance.js';
import { classesOf, readDataset, rowsOf } from '../common/dataset.js';
import { writeJson } from '../common/json-file.js';
import { openBundle, openEncoders } from '../common/runtime.js';
import { defaultTables, type EvaluateParams } from './evaluate.js';
import { readImageSet } from './image-set.js';
import { METRIC_KEYS, metricName, type EvaluationRecord } from './metric-names.js';

async function inChunks<T, R>(items: readonly T[], n: number, f: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += n) out.push(...(await f(items.slice(i, i + n))));
  return out;
}

export async function evaluate(ctx: StageContext<EvaluateParams>): Promise<void> {
  const p = ctx.params;
  const rows = readDataset(ctx.inputs.dataset as string);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const { index, images } = readImageSet(ctx.inputs.images as string);
  const domain = index.domain;
  const items = index.items.map((it) => {
    const r = byId.get(it.id);
    if (!r) throw new Error(`evaluate: image-set item '${it.id}' is not in the dataset manifest`);
    return r;
  });
  const classes = classesOf(rows, domain);
  const val = rowsOf(rows, domain, 'val');
  const train = rowsOf(rows, domain, 'train');
  if (val.length === 0) throw new Error(`evaluate: domain '${domain}' has no val split (the AIS/IIS reference sets)`);
  const enc = await openEncoders(openBundle(ctx.inputs.bundle as string));
  try {
    const c = p.chunk;
    ctx.progress(0, 4, 'AIS');
    const aisImg = await inChunks(images, c, (x) => enc.aisImageEncoder.embedImages(x));
    const paired = await inChunks(items, c, (x) => enc.audioToImage.embedAudio(loadClips(x)));
    const refAudio = await inChunks(val, c, (x) => enc.audioToImage.embedAudio(loadClips(x)));
    const ais = audioImageSimilarity(aisImg, paired, refAudio).score;
    ctx.progress(1, 4, 'IIS');
    const img = await inChunks(images, c, (x) => enc.imageEncoder.embedImages(x));
    const gt = await inChunks(items, c, (x) => enc.imageEncoder.embedImages(loadImages(x)));
    const refImg = await inChunks(val, c, (x) => enc.imageEncoder.embedImages(loadImages(x)));
    const iis = imageImageSimilarity(img, gt, refImg).score;
    ctx.progress(2, 4, 'AIC');
    const classText = await enc.textEncoder.embedText(classes);
    const labels = items.map((r) => classes.indexOf(r.label));
    const aic = audioImageContent(img, labels, classText).accuracy;
    ctx.progress(3, 4, 'FID');
    const genFeat = await inChunks(images, c, (x) => enc.fidFeatures.features(x));
    const realFeat = await inChunks(train.length > 0 ? train : val, c, (x) => enc.fidFeatures.features(loadImages(x)));
    const fid = frechetDistanceOfFeatures(genFeat, realFeat);
    ctx.progress(4, 4, 'done');
    const fidFeatures = enc.fidFeatures.name;
    const values = { AIS: ais, AIC: aic, IIS: iis, FID: fid };
    const names = Object.fromEntries(METRIC_KEYS.map((k) => [k, metricName(domain, k, fidFeatures)])) as EvaluationRecord['names'];
    const method = p.method ?? index.method;
    const tables = p.tables ?? defaultTables(index.task, index.ablation, domain, p.ablationDomains);
    const record: EvaluationRecord = { task: index.task, domain, method, ablation: index.ablation, tables, fidFeatures, images: images.length, values, names, chance: { AIC: 1 / classes.length, AIS: 0.5, IIS: 0.5 } };
    for (const table of tables) {
      for (const k of METRIC_KEYS) ctx.metric(names[k], values[k], { tags: { table, domain, method, ablation: index.ablation, task: index.task } });
    }
    writeJson(ctx.outputs.metrics!, record);
    ctx.log(`${domain} ${index.task} (${method}): AIS ${ais.toFixed(4)} AIC ${aic.toFixed(4)} (chance ${(1 / classes.length).toFixed(3)}) IIS ${iis.toFixed(4)} FID ${fid.toFixed(2)} [${fidFeatures}]`);
  } finally {
    enc.dispose();
  }
}
