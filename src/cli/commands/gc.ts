// sonic gc: delete stored objects no artifact record references, and stale temp entries.
import { formatBytes } from '../../engine/report/format-number.js';
import { gcWorkspace, openWorkspace, resolveWorkspaceDir } from '../../engine/store/workspace.js';
import { acquireWorkspaceLock, WorkspaceLockedError, type WorkspaceLock } from '../../engine/runner/workspace-lock.js';
import { openStoreForReading } from '../query-support.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { GC as SPEC } from '../specs/query-commands.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const dryRun = values['dry-run'] === true;
    const store = openStoreForReading(values.workspace, io);
    let lock: WorkspaceLock | undefined;
    try {
      const ws = openWorkspace(resolveWorkspaceDir(values.workspace, io.env, io.cwd), { create: false });
      try {
        lock = await acquireWorkspaceLock(ws.root, { notice: (m) => io.stderr(`${m}\n`) });
      } catch (err) {
        if (!(err instanceof WorkspaceLockedError)) throw err;
        io.stderr(`sonic gc: ${err.message.replace(/; use --wait to wait$/, '')}; a run is in progress, try again when it ends\n`);
        return 2;
      }
      const report = await gcWorkspace(ws, store, { dryRun });
      const verb = dryRun ? 'would remove' : 'removed';
      for (const h of report.objectHashes) io.stdout(`${verb} object ${h}\n`);
      for (const t of report.tempsRemoved) io.stdout(`${verb} temp ${t}\n`);
      io.stdout(
        `${verb} ${report.objectsRemoved} object(s) (${formatBytes(report.objectBytes)}) and ` +
          `${report.tempsRemoved.length} temp entr${report.tempsRemoved.length === 1 ? 'y' : 'ies'} (${formatBytes(report.tempBytes)})\n`,
      );
      return 0;
    } finally {
      lock?.release();
      store.close();
    }
  });
}
