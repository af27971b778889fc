// sonic ui: serve the workspace read-only on http://127.0.0.1:4780/ until Ctrl-C.
import { resolveWorkspaceDir } from '../../engine/store/workspace.js';
import { DEFAULT_UI_HOST, DEFAULT_UI_PORT, startUiServer } from '../../engine/report/ui/ui-server.js';
import { UsageError } from '../cli-error.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { UI as SPEC } from '../specs/tool-commands.js';

export async function main(argv: string[], io: Io = processIo, signal?: AbortSignal): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const port = values.port === undefined ? DEFAULT_UI_PORT : Number(values.port);
    if (values.port !== undefined && (!/^\d+$/.test(values.port) || port > 65535)) throw new UsageError(`--port expects a port number 0-65535, got "${values.port}"`);
    const host = values.host ?? DEFAULT_UI_HOST;
    let ui;
    try {
      ui = await startUiServer({ workspace: resolveWorkspaceDir(values.workspace, io.env, io.cwd), host, port, log: (l) => io.stderr(`${l}\n`) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${host} is in use; choose another with --port (0 picks a free one)`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on --host ${host}: not an address of this machine`);
      throw e;
    }
    io.stdout(`sonic ui: serving ${ui.url} (read-only view of ${resolveWorkspaceDir(values.workspace, io.env, io.cwd)}; Ctrl-C stops)\n`);
    if (!['127.0.0.1', '::1', 'localhost'].includes(host)) io.stderr(`sonic ui: listening on ${host}: anyone who can reach this machine can read the workspace (no authentication)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      signal?.addEventListener('abort', stop, { once: true });
    });
    await ui.close();
    return 0;
  });
}
