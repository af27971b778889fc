// The paper world's binding stages: registry-backed foundation bundle and the real/fixture ingests.
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { paperBundleStage } from './paper-bundle.js';
import { paperIngestStages } from './paper-ingest.js';

export const paperStages: StageDefinition[] = [paperBundleStage, ...paperIngestStages];
export const stages = paperStages;
