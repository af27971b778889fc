#!/usr/bin/env node
// The `sonic` command: dispatches `sonic <cmd> …` to src/cli/commands/<cmd>.ts (each exports main(argv));
// the commands are declared in src/cli/specs/, which the help and "did you mean" read.
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SONIC_VERSION } from '../version.js';
import { closeNames } from '../engine/config/suggest.js';
import { COMMAND_SPECS } from './specs/index.js';

/**
 * Errors that are the user's to fix: printed as their message, exit 2. Matched by name so that `sonic`
 * does not load the engine before it knows which command runs (startup time).
 */
const USER_ERRORS = new Set(['UsageError', 'RunUsageError', 'WorkspaceLockedError', 'StoreError', 'WorkspaceMissingError', 'SchemaVersionError', 'ExecutorConfigError']);

type CommandModule = { main(argv: string[]): Promise<number> };

const commandPath = (name: string) => fileURLToPath(new URL(`./commands/${name}.js`, import.meta.url));
/** The declared commands whose module is built in (a command left out of a build is left out of the help). */
const available = () => COMMAND_SPECS.filter((c) => existsSync(commandPath(c.name)));

function help(): string {
  const cmds = available();
  const w = Math.max(...cmds.map((c) => c.name.length));
  return [
    `sonic ${SONIC_VERSION}: cached, resumable experiment pipelines`,
    '',
    'usage: sonic <command> [args]   (sonic <command> --help for details)',
    '',
    'commands:',
    ...cmds.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'exit codes: 0 ok, 1 a stage failed, 2 usage or config error, 130 interrupted',
  ].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(`${help()}\n`);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`${SONIC_VERSION}\n`);
    return 0;
  }
  if (!/^[a-z][a-z-]*$/.test(cmd) || !available().some((c) => c.name === cmd)) {
    const close = closeNames(cmd, available().map((c) => c.name));
    const hint = close.length > 0 ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : '';
    process.stderr.write(`sonic: unknown command "${cmd}"${hint}\n\n${help()}\n`);
    return 2;
  }
  try {
    const mod = (await import(new URL(`./commands/${cmd}.js`, import.meta.url).href)) as CommandModule;
    return await mod.main(rest);
  } catch (err) {
    if (err instanceof Error && err.name === 'PipelineConfigError') {
      process.stderr.write(`${err.message}\n`); // formatDiagnostics(diagnostics): one file:line:col line each
      return 2;
    }
    if (err instanceof Error && USER_ERRORS.has(err.name)) {
      process.stderr.write(`sonic ${cmd}: ${err.message}\n`);
      return 2;
    }
    const detail = process.env.SONIC_DEBUG ? (err instanceof Error ? (err.stack ?? err.message) : String(err)) : err instanceof Error ? err.message : String(err);
    process.stderr.write(`sonic ${cmd}: internal error: ${detail}${process.env.SONIC_DEBUG ? '' : ' (SONIC_DEBUG=1 shows the stack)'}\n`);
    return 1;
  }
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
