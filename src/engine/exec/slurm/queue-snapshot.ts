// One squeue call serves every poll within an interval: the snapshot lists all of this user's jobs Slurm
// still remembers (`-t all` includes jobs that ended less than MinJobAge ago, with their final state).
// Concurrent polls share the call in flight; a failed call is reported to every caller.
import { parseSqueue, type SlurmJobInfo } from './slurm-state.js';
import type { CommandResult } from './slurm-cli.js';

export interface Snapshot {
  takenAt: number; // ms epoch when the squeue call started
  jobs: Map<string, SlurmJobInfo>;
}

export class QueueSnapshot {
  private last: Snapshot | undefined;
  private inFlight: Promise<Snapshot> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly query: () => Promise<CommandResult>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<Snapshot> {
    if (this.last !== undefined && this.now() - this.last.takenAt < this.intervalMs) return this.last;
    if (this.inFlight !== undefined) return this.inFlight;
    const takenAt = this.now();
    this.inFlight = this.query()
      .then((r) => {
        if (!r.ok) throw new Error(`squeue failed (exit ${r.exitCode ?? 'none'}): ${r.stderr || r.stdout}`.trim());
        this.last = { takenAt, jobs: parseSqueue(r.stdout) };
        return this.last;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
