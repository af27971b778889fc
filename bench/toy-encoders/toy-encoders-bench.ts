// Trains every SonicToy stand-in encoder at its default hyperparameters on a default-size SonicToy world
// (generated into a temp dir unless --manifest is given), single-threaded wasm, and prints one JSON
// object: training seconds (wall and CPU) and quality report per encoder, plus the machine's load average.
//   node dist/bench/toy-encoders/toy-encoders-bench.js [--manifest m.csv] [--out dir]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSonicToy, readManifest } from '../../src/data/sonictoy/index.js';
import { buildRetrievalCaptioner, evaluateRetrievalCaptioner } from '../../src/encoders/toy/retrieval-captioner.js';
import { evaluateToyClap, trainToyClap } from '../../src/encoders/toy/toy-clap.js';
import { evaluateToyClip, trainToyClip } from '../../src/encoders/toy/toy-clip.js';
import { evaluateToyWav2Clip, trainToyWav2Clip } from '../../src/encoders/toy/toy-wav2clip.js';

const { values } = parseArgs({ options: { manifest: { type: 'string' }, out: { type: 'string' } } });
await tf.setBackend('wasm');
let manifest = values.manifest;
if (!manifest) manifest = (await generateSonicToy({ outDir: join(mkdtempSync(join(tmpdir(), 'toyenc-bench-')), 'world') })).manifestPath;
const rows = readManifest(manifest);

/** Wall-clock and process CPU seconds: on a shared machine the CPU time is the better estimate of an idle run. */
async function timed<T>(f: () => Promise<T>): Promise<[T, { wall: number; cpu: number }]> {
  const t = Date.now();
  const c = process.cpuUsage();
  const v = await f();
  const u = process.cpuUsage(c);
  return [v, { wall: Math.round((Date.now() - t) / 100) / 10, cpu: Math.round((u.user + u.system) / 1e5) / 10 }];
}

const progress = (name: string) => (p: { step: number; steps: number; loss: number }) => {
  if (p.step % 100 === 0 || p.step === p.steps) console.error(`${name} ${p.step}/${p.steps} loss ${p.loss.toFixed(3)}`);
};
const loadBefore = loadavg()[0];
const [clip, clipSeconds] = await timed(() => trainToyClip(rows, {}, progress('toy-clip')));
const [clap, clapSeconds] = await timed(() => trainToyClap(rows, {}, progress('toy-clap')));
const [wav2clip, wav2clipSeconds] = await timed(() => trainToyWav2Clip(rows, clip, {}, progress('toy-wav2clip')));
const [captioner, captionerSeconds] = await timed(() => buildRetrievalCaptioner(rows, clip));
const result = {
  manifest,
  trainRows: rows.filter((r) => r.split === 'train').length,
  loadAverage1m: { before: loadBefore, after: loadavg()[0] },
  toyClip: { trainSeconds: clipSeconds, ...(await evaluateToyClip(clip, rows)) },
  toyClap: { trainSeconds: clapSeconds, ...(await evaluateToyClap(clap, rows)) },
  toyWav2Clip: { trainSeconds: wav2clipSeconds, ...(await evaluateToyWav2Clip(wav2clip, clip, rows)) },
  retrievalCaptioner: { buildSeconds: captionerSeconds, ...(await evaluateRetrievalCaptioner(captioner, rows)) },
};
if (values.out) {
  await clip.save(join(values.out, 'toy-clip'));
  await clap.save(join(values.out, 'toy-clap'));
  await wav2clip.save(join(values.out, 'toy-wav2clip'));
  await captioner.save(join(values.out, 'retrieval-captioner'));
}
console.log(JSON.stringify(result, null, 2));
captioner.dispose();
clap.dispose();
wav2clip.dispose();
