// Thin wrappers over the Slurm commands, always with argv arrays (no shell). Binary names are settings so
// that a site can point at wrappers (e.g. `ssh login-node sbatch` scripts) or tests at fakes.

export interface SlurmCommandNames {
  sbatch: string;
  squeue: string;
  scancel: string;
  scontrol: string;
  sacct: string;
}

export const DEFAULT_SLURM_COMMANDS: SlurmCommandNames = {
  sbatch: 'sbatch',
  squeue: 'squeue',
  scancel: 'scancel',
  scontrol: 'scontrol',
  sacct: 'sacct',
};

export interface CommandResult {
  ok: boolean;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

export async function runCommand(file: string, args: string[], cwd?: string): Promise<CommandResult> {
  const { execa } = await import('execa'); // on first use: loading it costs ~100 ms
  const r = await execa(file, args, { reject: false, cwd, stdin: 'ignore', timeout: 60_000 });
  const spawnError = r.failed && r.exitCode === undefined ? (r.originalMessage ?? r.message) : '';
  return {
    ok: !r.failed && r.exitCode === 0,
    exitCode: r.exitCode,
    stdout: String(r.stdout ?? ''),
    stderr: [String(r.stderr ?? '').trim(), spawnError].filter((s) => s !== '').join('\n'),
  };
}

/** `sbatch --parsable` prints `ID` or `ID;cluster`. */
export function parseSbatchParsable(stdout: string): string | undefined {
  const first = stdout.trim().split('\n').pop()?.trim() ?? '';
  const m = /^(\d+)(?:;\S+)?$/.exec(first);
  return m?.[1];
}
