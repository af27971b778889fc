// The workspace lock `<ws>/lock`: one runner per workspace. Created with O_EXCL and holding
// {pid, host, startedAt}. A lock whose pid is dead on this host is stale and taken over with a notice.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

export class WorkspaceLockedError extends Error {
  override readonly name = 'WorkspaceLockedError';
  constructor(
    readonly workspace: string,
    readonly holder: LockInfo,
  ) {
    super(
      `workspace ${workspace} is locked by pid ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''} (started ${holder.startedAt}); use --wait to wait`,
    );
  }
}

export interface WorkspaceLock {
  readonly path: string;
  release(): void;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(info));
  } finally {
    closeSync(fd);
  }
  return true;
}

export interface AcquireOptions {
  wait?: boolean;
  pollMs?: number;
  signal?: AbortSignal;
  notice?: (message: string) => void;
}

export async function acquireWorkspaceLock(workspace: string, options: AcquireOptions = {}): Promise<WorkspaceLock> {
  mkdirSync(workspace, { recursive: true });
  const path = join(workspace, 'lock');
  const me: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (;;) {
    if (tryCreate(path, me)) break;
    const holder = readLock(path);
    if (holder === undefined) {
      // being written right now, or garbage: give the writer a moment, then treat garbage as stale
      await sleep(50);
      const again = readLock(path);
      if (again === undefined && takeOver(path, undefined)) {
        options.notice?.(`sonic: removed an unreadable lock file ${path}`);
      }
      continue;
    }
    if (holder.host === me.host && !pidAlive(holder.pid)) {
      if (takeOver(path, holder)) options.notice?.(`sonic: taking over stale lock of dead pid ${holder.pid} (started ${holder.startedAt})`);
      continue;
    }
    if (!options.wait) throw new WorkspaceLockedError(workspace, holder);
    if (options.signal?.aborted) throw new WorkspaceLockedError(workspace, holder);
    await sleep(options.pollMs ?? 200);
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      const holder = readLock(path);
      if (holder && holder.pid === me.pid && holder.startedAt === me.startedAt) unlinkSync(path);
    },
  };
}

/**
 * Moves the stale lock aside atomically and checks that what was moved is the lock judged stale; if a
 * live runner replaced it meanwhile, its lock is put back.
 */
function takeOver(path: string, stale: LockInfo | undefined): boolean {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  const moved = readLock(aside);
  const same = stale === undefined ? moved === undefined : moved !== undefined && moved.pid === stale.pid && moved.startedAt === stale.startedAt;
  if (!same) {
    try {
      renameSync(aside, path);
    } catch {
      // nothing to restore to
    }
    return false;
  }
  unlinkSync(aside);
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
