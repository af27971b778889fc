// Reading and writing the job protocol files of a stage-run directory (see job-protocol.ts).
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, renameSync, fstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobFile, JobResult, StageEvent } from './job-protocol.js';

export const jobPaths = (stageRunDir: string) => ({
  job: join(stageRunDir, 'job.json'),
  out: join(stageRunDir, 'out'),
  work: join(stageRunDir, 'work'),
  events: join(stageRunDir, 'events.jsonl'),
  result: join(stageRunDir, 'result.json'),
  log: join(stageRunDir, 'log.txt'),
});

/** Writes a file so readers see either the old content or the complete new one, never a prefix. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function writeJobFile(stageRunDir: string, job: JobFile): void {
  writeFileAtomic(jobPaths(stageRunDir).job, JSON.stringify(job, null, 2));
}

export function readJobFile(path: string): JobFile {
  const job = JSON.parse(readFileSync(path, 'utf8')) as JobFile;
  if (job.protocol !== 1) throw new Error(`${path}: unsupported job protocol ${String(job.protocol)}`);
  return job;
}

export function writeJobResult(stageRunDir: string, result: JobResult): void {
  writeFileAtomic(jobPaths(stageRunDir).result, JSON.stringify(result));
}

export function readJobResult(stageRunDir: string): JobResult | undefined {
  const p = jobPaths(stageRunDir).result;
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as JobResult;
  } catch {
    return undefined;
  }
}

export function appendStageEvent(eventsPath: string, event: StageEvent): void {
  appendFileSync(eventsPath, `${JSON.stringify(event)}\n`);
}

function parseEventLine(line: string): StageEvent | undefined {
  if (line.trim() === '') return undefined;
  try {
    const e = JSON.parse(line) as StageEvent;
    if (e && typeof e === 'object' && (e.type === 'log' || e.type === 'progress' || e.type === 'metric')) {
      if (e.type === 'metric' && (typeof e.name !== 'string' || typeof e.value !== 'number')) return undefined;
      return e;
    }
  } catch {
    // a malformed line written by a command stage is ignored, not fatal
  }
  return undefined;
}

export function readStageEvents(eventsPath: string): StageEvent[] {
  if (!existsSync(eventsPath)) return [];
  return readFileSync(eventsPath, 'utf8').split('\n').map(parseEventLine).filter((e): e is StageEvent => e !== undefined);
}

/** Incrementally reads complete lines appended to events.jsonl since the last call. */
export class StageEventTail {
  private offset = 0;
  private partial = '';
  constructor(private readonly path: string) {}

  read(): StageEvent[] {
    if (!existsSync(this.path)) return [];
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      const text = this.partial + buf.subarray(0, n).toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      return lines.map(parseEventLine).filter((e): e is StageEvent => e !== undefined);
    } finally {
      closeSync(fd);
    }
  }
}
