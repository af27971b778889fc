// The paper's three ingests with a switch between the real dataset and its fixture twin, so one pipeline
// file serves both `sonic run pipelines/paper.yaml` and `--set profile=fixture`:
//   source: real     the `root` input holds exactly one workspace path, the dataset root: a declared input,
//                    so a missing root is reported when the pipeline loads (with its position) and the
//                    root's content is part of the fingerprint;
//   source: fixture  `root` is an empty list and the stage renders the dataset's fixture root with ffmpeg
//                    test sources (makeFixtureDatasets, as the ingest-fixtures stage does) into its scratch
//                    directory first. The fixture roots hold a handful of videos, too few for the grouped
//                    splits (one Greatest Hits video is one group), so the manifest's splits are then dealt
//                    round-robin per domain in (label, id) order: train, train, val, test, … so that every
//                    domain has all three splits. Real data keeps the ingest's grouped splits.
// A pipeline cannot swap a stage reference for a workspace path through vars, hence the list input (a var
// holding [] or [path]) instead of wiring ingest-fixtures' output.
import { z } from 'zod';
import type { StageContext, StageDefinition } from '../../engine/stage/stage-definition.js';
import { FIXTURE_VERSION, type FixtureDatasetName } from '../../data/ingest/fixtures.js';
import { ingestGreatestHitsStage, ingestLandscapeStage, ingestRavdessStage } from '../ingest/index.js';

const sourceParam = z.enum(['real', 'fixture']);

const DATASET_TITLES: Record<FixtureDatasetName, string> = { landscape: 'Landscape + Into the Wild', 'greatest-hits': 'Greatest Hits', ravdess: 'RAVDESS' };

function paperIngest(inner: StageDefinition, dataset: FixtureDatasetName): StageDefinition {
  const innerParams = inner.params as unknown as z.ZodObject;
  const params = innerParams.omit({ root: true }).extend({ source: sourceParam.default('real') });
  return {
    name: `paper-${inner.name}`,
    version: String(Number(inner.version) * 1000 + FIXTURE_VERSION), // the wrapped stage's version and the fixture's, in one integer
    description: `${inner.description}; source: real (the \`root\` input, one path) or fixture (rendered test videos)`,
    params,
    inputs: { root: { description: `the ${DATASET_TITLES[dataset]} root: one path for source=real, an empty list for source=fixture; layout and download in docs/reproduce-paper.md#datasets`, optional: true, list: true } },
    outputs: inner.outputs,
    async run(ctx: StageContext<Record<string, unknown> & { source: 'real' | 'fixture' }>) {
      const roots = ([] as string[]).concat(ctx.inputs.root ?? []);
      const { source, ...rest } = ctx.params;
      let root: string;
      if (source === 'real') {
        if (roots.length !== 1) throw new Error(`${ctx.stageId}: source 'real' needs exactly one dataset root in the \`root\` input, got ${roots.length} (see docs/reproduce-paper.md, Datasets)`);
        root = roots[0]!;
      } else {
        if (roots.length !== 0) throw new Error(`${ctx.stageId}: source 'fixture' renders its own root; the \`root\` input must be an empty list, got ${roots.join(', ')}`);
        const { makeFixtureDatasets } = await import('../../data/ingest/fixtures.js');
        const { join } = await import('node:path');
        ctx.progress(0, 1, 'render fixture videos');
        const made = await makeFixtureDatasets(join(ctx.workDir, 'fixture-roots'), [dataset]);
        root = dataset === 'landscape' ? made.landscape : dataset === 'greatest-hits' ? made.greatestHits : made.ravdess;
        ctx.log(`fixture root: ${root}`);
      }
      await inner.run({ ...ctx, params: { ...rest, root: undefined }, inputs: { root } });
      if (source === 'fixture') await dealFixtureSplits(ctx.outputs.dataset!, ctx.log);
    },
  };
}

const FIXTURE_SPLIT_CYCLE = ['train', 'train', 'val', 'test'] as const;

async function dealFixtureSplits(datasetDir: string, log: (m: string) => void): Promise<void> {
  const { join } = await import('node:path');
  const { writeFileAtomicSync } = await import('../../data/media/atomic-write.js');
  const { ingestManifestCsv, readIngestManifest } = await import('../../data/ingest/manifest.js');
  const path = join(datasetDir, 'manifest.csv');
  const rows = readIngestManifest(path);
  const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.domain.localeCompare(rows[b]!.domain) || rows[a]!.label.localeCompare(rows[b]!.label) || rows[a]!.id.localeCompare(rows[b]!.id));
  const perDomain = new Map<string, number>();
  for (const i of order) {
    const k = perDomain.get(rows[i]!.domain) ?? 0;
    rows[i]!.split = FIXTURE_SPLIT_CYCLE[k % FIXTURE_SPLIT_CYCLE.length]!;
    perDomain.set(rows[i]!.domain, k + 1);
  }
  writeFileAtomicSync(path, Buffer.from(ingestManifestCsv(rows.map(({ audioPath: _a, imagePath: _i, ...r }) => r)), 'utf8'));
  const count = (s: string) => rows.filter((r) => r.split === s).length;
  log(`fixture splits dealt round-robin: train ${count('train')}, val ${count('val')}, test ${count('test')}`);
}

export const paperIngestStages: StageDefinition[] = [
  paperIngest(ingestLandscapeStage, 'landscape'),
  paperIngest(ingestGreatestHitsStage, 'greatest-hits'),
  paperIngest(ingestRavdessStage, 'ravdess'),
];
