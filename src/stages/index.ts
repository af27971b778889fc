// The built-in stage catalog: the paper ingest stages, the SonicToy foundation stages and the method
// stages both worlds share. Stage files import their heavy dependencies inside run(), so loading this
// catalog (every CLI start) stays cheap.
import type { StageDefinition } from '../engine/stage/stage-definition.js';
import { ingestStages } from './ingest/index.js';
import { sonictoySynthStage } from './toy/sonictoy-synth.js';
import { trainToyClipStage } from './toy/train-toy-clip.js';
import { trainToyClapStage } from './toy/train-toy-clap.js';
import { trainToyWav2ClipStage } from './toy/train-toy-wav2clip.js';
import { buildToyCaptionerStage } from './toy/build-toy-captioner.js';
import { assembleBundleStage } from './toy/assemble-bundle.js';
import { captionStage } from './method/caption.js';
import { embedStage } from './method/embed.js';
import { trainProjectorStage } from './method/train-projector.js';
import { trainAdapterStage } from './method/train-adapter.js';
import { generateStage } from './method/generate.js';
import { editStage } from './method/edit.js';
import { evaluateStage } from './method/evaluate.js';
import { paperTablesStage } from './method/paper-tables.js';
import { worldReportStage } from './method/world-report.js';
import { mergeDatasetsStage } from './method/merge-datasets.js';
import { trainToySdStage } from './toy/train-toy-sd.js';
import { trainToyVaeStage } from './toy/train-toy-vae.js';
import { paperStages } from './paper/index.js';

export const toyStages: StageDefinition[] = [sonictoySynthStage, trainToyClipStage, trainToyClapStage, trainToyWav2ClipStage, buildToyCaptionerStage, trainToyVaeStage, trainToySdStage, assembleBundleStage];
export const methodStages: StageDefinition[] = [mergeDatasetsStage, captionStage, embedStage, trainProjectorStage, trainAdapterStage, generateStage, editStage, evaluateStage, paperTablesStage, worldReportStage];
export const stages: StageDefinition[] = [...ingestStages, ...toyStages, ...methodStages, ...paperStages];
