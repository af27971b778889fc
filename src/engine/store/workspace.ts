// The `.sonic/` workspace layout and its garbage collection.
//   sonic.db   the run store (SQLite, WAL)
//   objects/   content-addressed artifacts (see object-store.ts)
//   runs/      per-run, per-stage working directories and logs
//   tmp/       scratch space; entries older than a day are removed by gc
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { ObjectStore, removeTree, treeSize } from './object-store.js';
import { DB_FILE_NAME, type SqliteRunStore } from './run-store.js';
import { StoreError, WorkspaceMissingError } from './errors.js';

export interface Workspace {
  root: string; // absolute path of the .sonic directory
  dbPath: string;
  objectsDir: string;
  runsDir: string;
  tmpDir: string;
  objects: ObjectStore;
}

export const DEFAULT_WORKSPACE_NAME = '.sonic';
/** tmp/ entries (and interrupted ingest temps) younger than this are assumed in use. */
export const STALE_TEMP_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The workspace at `dir`. With `create` (default true) the layout is made if missing; without it a
 * directory lacking sonic.db is a WorkspaceMissingError.
 */
export function openWorkspace(dir: string, options: { create?: boolean } = {}): Workspace {
  const root = resolve(dir);
  const ws: Workspace = {
    root,
    dbPath: join(root, DB_FILE_NAME),
    objectsDir: join(root, 'objects'),
    runsDir: join(root, 'runs'),
    tmpDir: join(root, 'tmp'),
    objects: new ObjectStore(join(root, 'objects')),
  };
  if (options.create ?? true) {
    if (existsSync(root) && !statSync(root).isDirectory()) {
      throw new StoreError(`workspace ${root} exists and is not a directory`);
    }
    for (const d of [ws.objectsDir, ws.runsDir, ws.tmpDir]) mkdirSync(d, { recursive: true });
  } else if (!existsSync(ws.dbPath)) {
    throw new WorkspaceMissingError(root);
  }
  return ws;
}

export interface GcReport {
  objectsRemoved: number;
  objectBytes: number;
  objectHashes: string[];
  tempsRemoved: string[];
  tempBytes: number;
  dryRun: boolean;
}

/** True when a run marked running belongs to a live process on this host. */
function isLive(run: { host: string; pid: number }): boolean {
  if (run.host !== hostname()) return true; // cannot tell: assume it is alive
  try {
    process.kill(run.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes objects no artifact references and stale temp entries. Refuses while a live run is in progress,
 * since its freshly ingested outputs are not referenced until their stage commits.
 */
export async function gcWorkspace(
  ws: Workspace,
  store: SqliteRunStore,
  options: { dryRun?: boolean; staleTempAgeMs?: number } = {},
): Promise<GcReport> {
  const dryRun = options.dryRun ?? false;
  const live = store.runningRuns().filter(isLive);
  if (live.length > 0 && !dryRun) {
    const r = live[0]!;
    throw new StoreError(
      `run ${r.id} (pid ${r.pid} on ${r.host}) is in progress; gc would delete its uncommitted outputs. ` +
        'Wait for it to finish (or use --dry-run).',
    );
  }
  const objects = await ws.objects.gc(store.referencedHashes(), { dryRun });
  const age = options.staleTempAgeMs ?? STALE_TEMP_AGE_MS;
  const temps = [...(await ws.objects.staleTemps(age)), ...(await staleEntries(ws.tmpDir, age))];
  let tempBytes = 0;
  for (const t of temps) {
    tempBytes += await treeSize(t);
    if (!dryRun) await removeTree(t);
  }
  return {
    objectsRemoved: objects.removed,
    objectBytes: objects.bytes,
    objectHashes: objects.hashes,
    tempsRemoved: temps,
    tempBytes,
    dryRun,
  };
}

async function staleEntries(dir: string, olderThanMs: number): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const now = Date.now();
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = join(dir, name);
    if (now - (await lstat(full)).mtimeMs >= olderThanMs) out.push(full);
  }
  return out;
}

/** `--workspace DIR`, else $SONIC_WORKSPACE, else `<cwd>/.sonic`. */
export function resolveWorkspaceDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const chosen = flag ?? (env['SONIC_WORKSPACE'] || undefined);
  return chosen === undefined ? join(cwd, DEFAULT_WORKSPACE_NAME) : resolve(cwd, chosen);
}
