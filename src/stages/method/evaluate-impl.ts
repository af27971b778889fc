import type { StageContext } from '../../engine/stage/stage-definition.js';
import { loadClips, loadImages } from '../../encoders/toy/toy-media.js';
import { audioImageContent, audioImageSimilarity, imageImageSimilarity } from '../../metrics/paper-metrics.js';
import { frechetDistanceOfFeatures } from '../../metrics/frechet-distance.js';
import { classesOf, readDataset, rowsOf } from '../common/dataset.js';
import { writeJson } from '../common/json-file.js';
import { openBundle, openEncoders } from '../common/runtime.js';
import { tablesFor, type EvaluateParams } from './evaluate.js';
import { sampleIntervals } from './evaluation-intervals.js';
import { readImageSet } from './image-set.js';
import { ciHighName, ciLowName, METRIC_KEYS, metricName, type EvaluationRecord, type EvaluationSamples } from './metric-names.js';

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
    ctx.progress(0, 5, 'AIS');
    const aisImg = await inChunks(images, c, (x) => enc.aisImageEncoder.embedImages(x));
    const paired = await inChunks(items, c, (x) => enc.audioToImage.embedAudio(loadClips(x)));
    const refAudio = await inChunks(val, c, (x) => enc.audioToImage.embedAudio(loadClips(x)));
    const aisResult = audioImageSimilarity(aisImg, paired, refAudio);
    const ais = aisResult.score;
    ctx.progress(1, 5, 'IIS');
    const img = await inChunks(images, c, (x) => enc.imageEncoder.embedImages(x));
    const gt = await inChunks(items, c, (x) => enc.imageEncoder.embedImages(loadImages(x)));
    const refImg = await inChunks(val, c, (x) => enc.imageEncoder.embedImages(loadImages(x)));
    const iisResult = imageImageSimilarity(img, gt, refImg);
    const iis = iisResult.score;
    ctx.progress(2, 5, 'AIC');
    const classText = await enc.textEncoder.embedText(classes);
    const labels = items.map((r) => classes.indexOf(r.label));
    const aicResult = audioImageContent(img, labels, classText);
    const aic = aicResult.accuracy;
    ctx.progress(3, 5, 'FID');
    const genFeat = await inChunks(images, c, (x) => enc.fidFeatures.features(x));
    const realFeat = await inChunks(train.length > 0 ? train : val, c, (x) => enc.fidFeatures.features(loadImages(x)));
    const fid = frechetDistanceOfFeatures(genFeat, realFeat);
    const samples: EvaluationSamples = {
      ids: items.map((r) => r.id),
      AIS: aisResult.perImage,
      IIS: iisResult.perImage,
      AIC: aicResult.predictions.map((c, i) => (c === labels[i] ? 1 : 0)),
      fid: { generated: genFeat.map((f) => Array.from(f)), reference: realFeat.map((f) => Array.from(f)) },
    };
    const bootstrap = { resamples: p.resamples, fidResamples: p.fidResamples, level: p.level, seed: p.seed };
    ctx.progress(4, 5, 'bootstrap intervals');
    const intervals = Object.fromEntries(Object.entries(sampleIntervals(samples, bootstrap)).map(([k, v]) => [k, { low: v.low, high: v.high }])) as EvaluationRecord['intervals'];
    ctx.progress(5, 5, 'done');
    const fidFeatures = enc.fidFeatures.name;
    const values = { AIS: ais, AIC: aic, IIS: iis, FID: fid };
    const names = Object.fromEntries(METRIC_KEYS.map((k) => [k, metricName(domain, k, fidFeatures)])) as EvaluationRecord['names'];
    const method = p.method ?? index.method;
    const tables = tablesFor(index.task, index.ablation, domain, p);
    const chance = { AIC: 1 / classes.length, AIS: 0.5, IIS: 0.5 };
    const record: EvaluationRecord = { task: index.task, domain, method, ablation: index.ablation, base: p.base, tables, fidFeatures, images: images.length, values, names, chance, intervals, bootstrap, samples };
    for (const table of tables) {
      const tags = { tags: { table, domain, method, ablation: index.ablation, task: index.task } };
      for (const k of METRIC_KEYS) {
        ctx.metric(names[k], values[k], tags);
        ctx.metric(ciLowName(names[k]), intervals[k].low, tags);
        ctx.metric(ciHighName(names[k]), intervals[k].high, tags);
      }
    }
    writeJson(ctx.outputs.metrics!, record);
    ctx.log(`${domain} ${index.task} (${method}): AIS ${ais.toFixed(4)} [${intervals.AIS.low.toFixed(3)}, ${intervals.AIS.high.toFixed(3)}] AIC ${aic.toFixed(4)} [${intervals.AIC.low.toFixed(3)}, ${intervals.AIC.high.toFixed(3)}] (chance ${(1 / classes.length).toFixed(3)}) IIS ${iis.toFixed(4)} FID ${fid.toFixed(2)} [${fidFeatures}]`);
  } finally {
    enc.dispose();
  }
}
