// One Executor for the runner that sends each stage to the executor the workspace config chooses for it
// (`executor.stages` rules, else `executor.default`). Handles keep the name of the executor that really
// runs the job, so poll, cancel and wait go back to it, and the runner can record it.
import type { Executor, JobHandle, JobSpec, JobStatus } from '../executor.js';
import { executorForStage, type ExecutorConfig, type ExecutorName } from './executor-config.js';

export interface ExecutorRouterOptions {
  config: ExecutorConfig;
  executors: Partial<Record<ExecutorName, Executor>>; // at least the ones the config can choose
  /** Base id of each expanded stage id (from the pipeline); without it, a trailing `[...]` is stripped. */
  stages?: { id: string; baseId: string }[];
  waitPollMs?: number; // poll interval of wait() for executors without their own wait (default 1000)
}

export class ExecutorRouter implements Executor {
  readonly name = 'router';
  private readonly baseIds: Map<string, string>;
  private readonly waitPollMs: number;

  constructor(private readonly options: ExecutorRouterOptions) {
    this.baseIds = new Map((options.stages ?? []).map((s) => [s.id, s.baseId]));
    this.waitPollMs = options.waitPollMs ?? 1000;
    const needed = new Set<ExecutorName>([options.config.default, ...options.config.stages.map((r) => r.executor)]);
    for (const name of needed) {
      if (options.executors[name] === undefined) {
        const where = options.config.file === undefined ? '' : ` (chosen in ${options.config.file})`;
        throw new Error(`executor \`${name}\` is configured${where} but not available to this run`);
      }
    }
  }

  /** The executor a stage runs on. */
  executorFor(stageId: string): Executor {
    const baseId = this.baseIds.get(stageId) ?? stageId.replace(/\[.*\]$/, '');
    const name = executorForStage(this.options.config, { id: stageId, baseId });
    return this.options.executors[name]!;
  }

  /** The executor behind a handle or a recorded stage run (for re-attaching after a restart). */
  byName(name: string): Executor | undefined {
    return Object.values(this.options.executors).find((e) => e?.name === name);
  }

  allocatesResources(stageId: string): boolean {
    return this.executorFor(stageId).allocatesResources?.(stageId) ?? false;
  }

  /** Re-attaches through the executor named in the record (the router itself never owns a job). */
  reattach(jobId: string, stageRunDir: string, executorName?: string): JobHandle | undefined {
    if (executorName === undefined) return undefined;
    return this.byName(executorName)?.reattach?.(jobId, stageRunDir, executorName);
  }

  submit(job: JobSpec): Promise<JobHandle> {
    return this.executorFor(job.stageId).submit(job);
  }

  poll(handle: JobHandle): Promise<JobStatus> {
    return this.owner(handle).poll(handle);
  }

  cancel(handle: JobHandle): Promise<void> {
    return this.owner(handle).cancel(handle);
  }

  async wait(handle: JobHandle): Promise<JobStatus> {
    const owner = this.owner(handle);
    if (owner.wait !== undefined) return owner.wait(handle);
    for (;;) {
      const s = await owner.poll(handle);
      if (s.state !== 'queued' && s.state !== 'running') return s;
      await new Promise((r) => setTimeout(r, this.waitPollMs));
    }
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.options.executors).map((e) => e?.close?.()));
  }

  private owner(handle: JobHandle): Executor {
    const e = this.byName(handle.executor);
    if (e === undefined) throw new Error(`no executor named \`${handle.executor}\` for job ${handle.jobId}`);
    return e;
  }
}
