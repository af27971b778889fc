// How the stage worker runs a `run` stage (used when a cluster executor starts the worker instead of the
// command itself): the argv is executed directly (never a shell) in the stage-run directory, with the job's
// env over the worker's, output going to the worker's own stdout/stderr (the stage log). The verdict
// mirrors the local executor's: exit 0 succeeds, anything else fails, an aborted worker is interrupted.
import { spawn } from 'node:child_process';
import type { JobFile, JobResult } from './job-protocol.js';

export type CommandVerdict = Pick<JobResult, 'status' | 'exitCode' | 'error'>;

export function runCommandJob(job: JobFile, stageRunDir: string, signal: AbortSignal): Promise<CommandVerdict> {
  const argv = job.argv ?? [];
  const file = argv[0];
  if (file === undefined) return Promise.resolve({ status: 'failed', exitCode: 1, error: `stage ${job.stageId}: empty command` });
  return new Promise((resolve) => {
    const child = spawn(file, argv.slice(1), {
      cwd: stageRunDir,
      env: { ...process.env, ...job.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const onAbort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort);
    let spawnError: Error | undefined;
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, sig) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) resolve({ status: 'interrupted', exitCode: code ?? 130, error: 'interrupted' });
      else if (spawnError !== undefined) resolve({ status: 'failed', exitCode: 127, error: `command could not start: ${spawnError.message}` });
      else if (code === 0) resolve({ status: 'succeeded', exitCode: 0 });
      else if (sig !== null) resolve({ status: 'failed', exitCode: null, error: `command killed by ${sig}` });
      else resolve({ status: 'failed', exitCode: code, error: `command exited with code ${code}` });
    });
  });
}
