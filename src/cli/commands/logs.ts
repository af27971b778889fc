// sonic logs STAGE [--run …] [--follow]: a stage's log file, optionally followed while the stage runs.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { StoreError } from '../../engine/store/errors.js';
import type { SqliteRunStore } from '../../engine/store/run-store.js';
import { executedStageRun, stageRunsNamed } from '../../engine/store/stage-run-lookup.js';
import type { StageRunRecord } from '../../engine/store/store-api.js';
import { openStoreForReading, parseRunRef } from '../query-support.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { LOGS as SPEC } from '../specs/query-commands.js';

const FOLLOW_POLL_MS = 250;
const ACTIVE = new Set(['pending', 'running']);

/** Bytes of `path` from `offset` on; the new offset. */
function readFrom(path: string, offset: number, write: (s: string) => void): number {
  if (!existsSync(path)) return offset;
  const size = statSync(path).size;
  if (size <= offset) return offset;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    const n = readSync(fd, buf, 0, buf.length, offset);
    write(buf.subarray(0, n).toString('utf8'));
    return offset + n;
  } finally {
    closeSync(fd);
  }
}

function chooseStageRun(store: SqliteRunStore, stage: string, runId: number | undefined): StageRunRecord {
  const candidates = stageRunsNamed(store, stage, runId);
  // without --run: the newest attempt that has (or will have) a log; a cached one points at its source
  const chosen = runId === undefined ? (candidates.find((s) => s.logPath !== null || ACTIVE.has(s.status)) ?? candidates[0]!) : candidates[0]!;
  return executedStageRun(store, chosen);
}

async function follow(store: SqliteRunStore, rec: StageRunRecord, io: Io, signal: AbortSignal): Promise<void> {
  let offset = 0;
  let current = rec;
  for (;;) {
    if (current.logPath !== null) offset = readFrom(current.logPath, offset, io.stdout);
    if (!ACTIVE.has(current.status) || signal.aborted) {
      // the runner's closing note lands in the log just after the status changes
      await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
      if (current.logPath !== null) readFrom(current.logPath, offset, io.stdout);
      return;
    }
    await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
    current = store.stageRun(current.id) ?? current;
  }
}

export async function main(argv: string[], io: Io = processIo, signal: AbortSignal = new AbortController().signal): Promise<number> {
  return runCommand(SPEC, argv, io, async (values, positionals) => {
    const store = openStoreForReading(values.workspace, io);
    try {
      const runId = values.run === undefined ? undefined : parseRunRef(store, values.run, '--run');
      const rec = chooseStageRun(store, positionals[0]!, runId);
      const where = `stage ${rec.stageId}, run ${rec.runId}, attempt ${rec.attempt}, ${rec.status}`;
      if (rec.logPath === null && !(values.follow && ACTIVE.has(rec.status))) {
        throw new StoreError(`${where}: no log (${rec.reason})`);
      }
      io.stderr(`==> ${where}: ${rec.logPath ?? '(log not created yet)'}\n`);
      if (values.follow) {
        await follow(store, rec, io, signal);
        return 0;
      }
      if (!existsSync(rec.logPath!)) throw new StoreError(`${where}: the log file ${rec.logPath} is gone (its run directory was removed)`);
      readFrom(rec.logPath!, 0, io.stdout);
      return 0;
    } finally {
      store.close();
    }
  });
}
