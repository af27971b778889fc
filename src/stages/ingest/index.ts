// The built-in ingest stages (the paper datasets → manifest + media). `stages` makes this file loadable as
// a stage module on its own (SONIC_STAGE_MODULES).
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { ingestFixturesStage } from './ingest-fixtures.js';
import { ingestGreatestHitsStage } from './ingest-greatest-hits.js';
import { ingestLandscapeStage } from './ingest-landscape.js';
import { ingestRavdessStage } from './ingest-ravdess.js';

export const ingestStages: StageDefinition[] = [ingestLandscapeStage, ingestGreatestHitsStage, ingestRavdessStage, ingestFixturesStage];
export const stages = ingestStages;
export { ingestLandscapeStage, ingestGreatestHitsStage, ingestRavdessStage, ingestFixturesStage };
