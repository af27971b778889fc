// Shared shapes of stage resolution: instances whose inputs are bound once every stage is expanded.
import type { StageCatalog, StageDefinition } from '../stage/stage-definition.js';
import type { DiagnosticBag } from './diagnostics.js';
import type { RecordOrigins } from './file-records.js';
import type { Expr } from './interpolation.js';
import type { StageDefinitionSite } from './load-sources.js';
import type { Params, SourcePos, StageSpec } from './pipeline-model.js';

export type StageExpr = Extract<Expr, { kind: 'stage' }>;

export interface PendingItem {
  ref?: StageExpr;
  file?: string; // as written (after interpolation), relative to rootDir
  pos: SourcePos;
}

export interface PendingInput {
  items: PendingItem[];
  list: boolean;
  keyPos: SourcePos;
}

export interface RunPlaceholder {
  kind: 'inputs' | 'outputs';
  name: string;
  whole: boolean;
  pos: SourcePos;
}

export interface Instance {
  spec: StageSpec;
  site: StageDefinitionSite;
  def: StageDefinition | undefined;
  pending: Map<string, PendingInput>;
  placeholders: RunPlaceholder[];
  /** Every output the stage declares, also those whose declaration had errors (not in spec.outputs). */
  outputNames: string[];
}

export interface BaseStage {
  site: StageDefinitionSite;
  instances: Instance[];
  outputNames: string[];
  matrixKeys: string[];
  resolved: boolean; // false: known id, but errors prevented expansion (references to it are not checked)
}

export interface ResolveContext {
  vars: Params;
  rootDir: string;
  workspaceRoot: string;
  catalog?: StageCatalog;
  bag: DiagnosticBag;
  /** Matrix size limit per stage; default DEFAULT_LIMITS.maxMatrixCombinations. */
  maxMatrixCombinations?: number;
  /** Where records loaded from files (`$files` vars) came from; errors inside them point there. */
  origins?: RecordOrigins;
}

export const IMPLICIT_INPUT = /^_ref\d+$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
