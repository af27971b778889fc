// Running one scheduled stage: its resources taken from the local budget (unless a cluster allocates
// them), then its attempts with retries (the first one may collect a job a killed runner left), and the
// result kept for its dependents. A stage planned while upstream stages still had to run is decided again
// first, from the outputs they actually produced.
import type { Grant, ResourcePool } from '../exec/resource-pool.js';
import { computeFingerprint } from '../fingerprint/compute-fingerprint.js';
import { MissingInputError, type InputHasher } from '../fingerprint/input-hasher.js';
import { decideStage, type PlannedStage } from '../graph/plan.js';
import type { LeftoverJob } from './reattach.js';
import { withRetries } from './retries.js';
import type { RunContext } from './run-context.js';
import type { StageSummary } from './run-summary.js';
import { collectLeftover, runAttempt } from './stage-attempt.js';
import { internalErrorSummary, recordCached, skipStage } from './stage-outcomes.js';

export interface ExecutionState {
  ctx: RunContext;
  pool: ResourcePool;
  /** The run's plan; a stage decided again after its upstream finished replaces its entry. */
  plan: PlannedStage[];
  /** stage id -> a job a killed runner left running for the same fingerprint: collected, not resubmitted */
  leftovers: Map<string, LeftoverJob>;
  /** Hashes inputs for the stages decided again (remembers its answers for the whole run). */
  hasher: InputHasher;
}

export async function executeStage(state: ExecutionState, p: PlannedStage): Promise<StageSummary> {
  const { ctx } = state;
  if (ctx.aborted) return skipStage(ctx, p, ctx.notStartedReason());
  const local = !ctx.allocatedElsewhere(p.stage.id);
  // counted from before it waits for its resources: stages let through together share the cores
  if (local) ctx.localRunning += 1;
  let grant: Grant = { gpus: [], release: () => {} };
  try {
    if (local) grant = await state.pool.acquire(p.stage.resources);
    if (ctx.aborted) return skipStage(ctx, p, ctx.notStartedReason());
    const leftover = takeLeftover(state, p);
    let engineFailed = false;
    const result = await withRetries<StageSummary>({
      maxAttempts: 1 + Math.max(0, p.stage.retries),
      baseDelayMs: ctx.options.retryBaseDelayMs ?? 1000,
      signal: ctx.signal,
      shouldRetry: (r) => r.status === 'failed' && !engineFailed,
      attempt: async (n, willRetry) => {
        try {
          return n === 1 && leftover !== undefined ? await collectLeftover(ctx, p, leftover, willRetry) : await runAttempt(ctx, p, n, grant.gpus, willRetry);
        } catch (err) {
          engineFailed = true;
          return internalErrorSummary(ctx, p, n, err);
        }
      },
    });
    ctx.results.set(p.stage.id, result);
    if (result.status === 'failed' && ctx.options.failFast) ctx.abortAll('fail-fast');
    return result;
  } finally {
    if (local) ctx.localRunning -= 1;
    grant.release();
  }
}

/**
 * A stage planned while upstream stages still had to run: now that they finished, its fingerprint is
 * computed from the content hashes of the outputs they actually produced, and the decision taken again
 * (early cutoff: byte-identical upstream outputs keep it cached).
 */
export async function decideAfterUpstream(state: ExecutionState, p: PlannedStage): Promise<StageSummary> {
  const { ctx } = state;
  const upstream = (s: string, o: string) => ctx.outputHashes.get(s)?.[o];
  let decided: PlannedStage;
  try {
    const fingerprint = await computeFingerprint(p.stage, ctx.options.catalog, upstream, state.hasher);
    decided = { ...decideStage(p.stage, fingerprint, p.reasonKind === 'forced', ctx.store), deps: p.deps };
  } catch (err) {
    const error = err instanceof MissingInputError ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
    return skipStage(ctx, p, `could not be planned: ${error}`);
  }
  const at = state.plan.indexOf(p);
  if (at >= 0) state.plan[at] = decided;
  if (decided.decision === 'cached') {
    await recordCached(ctx, [decided]);
    return ctx.results.get(p.stage.id)!;
  }
  return executeStage(state, decided);
}

/** A leftover job for this stage with this fingerprint (taken once). */
function takeLeftover(state: ExecutionState, p: PlannedStage): LeftoverJob | undefined {
  const l = state.leftovers.get(p.stage.id);
  if (l === undefined || l.record.fingerprint !== p.fingerprint.hash) return undefined;
  state.leftovers.delete(p.stage.id);
  return l;
}
