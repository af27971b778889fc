// Full toy-SD run on a SonicToy world (outside the tests): trains VAE + UNet with a profile, saves the model,
// writes the sample grid and prints the report as JSON. The text encoder is FixedWordTextEncoder (16×64,
// toy-CLIP's token shape) unless a different one is wired in by the pipeline.
// Usage: node dist/bench/toy-sd/train-toy-sd.js <manifest.csv> <outDir> [profile] [JSON overrides]
// Overrides: TrainToySdOptions plus `grid` (toySdSampleGrid options) and `reuseVae` (a saved toy-SD
// directory whose VAE is reused, to iterate on the UNet alone).
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { selectBackend } from '../../src/compute/backend.js';
import { readManifest } from '../../src/data/sonictoy/manifest.js';
import {
  FixedWordTextEncoder,
  TOY_SD_PROFILES,
  loadToySd,
  saveToySd,
  toySdSampleGrid,
  toyVaeQuality,
  trainToySd,
  trainToyUnet,
  type ToySd,
  type ToySdProfile,
  type ToySdProgress,
  type TrainToySdOptions,
} from '../../src/encoders/toy/toy-sd/index.js';

const [manifest, outDir, profile = 'default', overrides = '{}'] = process.argv.slice(2);
if (!manifest || !outDir) throw new Error('usage: train-toy-sd.js <manifest.csv> <outDir> [profile] [JSON overrides]');
const backend = await selectBackend({ requested: 'wasm' });
const rows = readManifest(manifest);
const encoder = new FixedWordTextEncoder(16, 64);
const extra = JSON.parse(overrides) as TrainToySdOptions & { grid?: Record<string, number>; reuseVae?: string };
const load = () => os.loadavg()[0]!.toFixed(1);
const loadStart = load();
let last = 0;
const progress = (p: ToySdProgress) => {
  if (p.step === p.steps || performance.now() - last > 15000) {
    last = performance.now();
    console.error(`${p.phase} ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(1)} ${p.elapsedSeconds.toFixed(0)}s load ${load()}`);
  }
};
let model: ToySd;
let report: unknown;
if (extra.reuseVae) {
  const previous = loadToySd(extra.reuseVae);
  const unet = await trainToyUnet(rows, previous.vae, encoder, { ...TOY_SD_PROFILES[profile as ToySdProfile].unet, ...extra.unet }, progress);
  previous.unetParams.dispose();
  model = { ...previous, unet: unet.unet, unetParams: unet.params, textEncoder: { name: encoder.name, maxTokens: encoder.maxTokens, width: encoder.width } };
  report = { reusedVae: extra.reuseVae, unet: unet.report };
} else {
  ({ model, report } = await trainToySd(rows, encoder, { ...extra, profile: profile as ToySdProfile }, progress));
}
saveToySd(join(outDir, 'model'), model);
const grid = await toySdSampleGrid(model, encoder, rows, join(outDir, 'sample-grid.png'), { perClass: 4, ...(extra.grid ?? {}) });
// VAE reconstructions of two validation images per class: pairs (real, reconstruction) per row.
const vaeQuality = toyVaeQuality(model.vae, rows, join(outDir, 'vae-reconstructions.png'));
const summary = { backend: backend.reason, loadAverageStart: loadStart, loadAverageEnd: load(), report, grid, vaeQuality };
writeFileSync(join(outDir, 'report.json'), JSON.stringify(summary, null, 2));
console.log(JSON.stringify(summary, null, 2));
