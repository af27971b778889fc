// Resource accounting for local scheduling: cpu cores, memory (MB) and specific GPU device ids.
// Waiters are served in arrival order, skipping those that do not fit yet (so small requests may pass a
// large one that waits); requests larger than the whole budget are refused up front.
import type { ResourceRequest } from '../config/pipeline-model.js';

export interface ResourceBudget {
  cpus: number;
  memoryMB: number; // 0 = memory not accounted
  gpus: number[]; // device ids
}

export interface Grant {
  gpus: number[];
  release(): void;
}

export class ResourceRequestTooLarge extends Error {}

export class ResourcePool {
  private freeCpus: number;
  private freeMemory: number;
  private readonly freeGpus: number[];
  private readonly waiters: { req: ResourceRequest; resolve: (g: Grant) => void }[] = [];

  constructor(private readonly budget: ResourceBudget) {
    this.freeCpus = budget.cpus;
    this.freeMemory = budget.memoryMB;
    this.freeGpus = [...budget.gpus];
  }

  /** Why `req` can never be satisfied under this budget, or undefined when it can. */
  exceeds(req: ResourceRequest): string | undefined {
    const problems: string[] = [];
    if (req.cpu > this.budget.cpus) problems.push(`cpu ${req.cpu} > --cpus ${this.budget.cpus}`);
    if (this.budget.memoryMB > 0 && req.memoryMB > this.budget.memoryMB) problems.push(`memory ${req.memoryMB}MB > --memory ${this.budget.memoryMB}MB`);
    if (req.gpu > this.budget.gpus.length) {
      problems.push(`gpu ${req.gpu} > ${this.budget.gpus.length} available GPU${this.budget.gpus.length === 1 ? '' : 's'}${this.budget.gpus.length ? ` (${this.budget.gpus.join(',')})` : ''}`);
    }
    return problems.length ? problems.join(', ') : undefined;
  }

  acquire(req: ResourceRequest): Promise<Grant> {
    const why = this.exceeds(req);
    if (why) return Promise.reject(new ResourceRequestTooLarge(why));
    return new Promise((resolve) => {
      this.waiters.push({ req, resolve });
      this.dispatch();
    });
  }

  private fits(req: ResourceRequest): boolean {
    const mem = this.budget.memoryMB > 0 ? req.memoryMB : 0;
    return req.cpu <= this.freeCpus && mem <= this.freeMemory && req.gpu <= this.freeGpus.length;
  }

  private dispatch(): void {
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i]!;
      if (!this.fits(w.req)) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      const mem = this.budget.memoryMB > 0 ? w.req.memoryMB : 0;
      this.freeCpus -= w.req.cpu;
      this.freeMemory -= mem;
      const gpus = this.freeGpus.splice(0, w.req.gpu);
      let released = false;
      w.resolve({
        gpus,
        release: () => {
          if (released) return;
          released = true;
          this.freeCpus += w.req.cpu;
          this.freeMemory += mem;
          this.freeGpus.push(...gpus);
          this.freeGpus.sort((a, b) => a - b);
          this.dispatch();
        },
      });
    }
  }
}
