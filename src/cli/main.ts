#!/usr/bin/env node
// The `sonic` command: dispatches `sonic <cmd> …` to src/cli/commands/<cmd>.ts (each exports main(argv)).
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SONIC_VERSION } from '../version.js';

/**
 * Errors that are the user's to fix: printed as their message, exit 2. Matched by name so that `sonic`
 * does not load the engine before it knows which command runs (startup time).
 */
const USER_ERRORS = new Set(['UsageError', 'RunUsageError', 'WorkspaceLockedError', 'StoreError', 'WorkspaceMissingError', 'SchemaVersionError', 'ExecutorConfigError']);

/** Every command the CLI knows; a command whose module is not built in is left out of the help. */
const COMMANDS: [name: string, summary: string][] = [
  ['run', 'run a pipeline (what changed, and everything it needs)'],
  ['status', 'when each stage last succeeded and why it would rerun'],
  ['dag', 'print the stage graph (ASCII tree or --mermaid)'],
  ['runs', 'list runs'],
  ['metrics', 'show recorded metrics'],
  ['diff', 'compare the metrics and params of two runs'],
  ['plots', 'Vega-Lite plots (SVG/PNG) of metrics and run timelines'],
  ['query', 'read-only SQL over the run store'],
  ['artifacts', 'list recorded artifacts'],
  ['gc', 'remove objects no run refers to'],
];

type CommandModule = { main(argv: string[]): Promise<number> };

const commandPath = (name: string) => fileURLToPath(new URL(`./commands/${name}.js`, import.meta.url));
const available = () => COMMANDS.filter(([name]) => existsSync(commandPath(name)));

function help(): string {
  const cmds = available();
  const w = Math.max(...cmds.map(([n]) => n.length));
  return [
    `sonic ${SONIC_VERSION}: cached, resumable experiment pipelines`,
    '',
    'usage: sonic <command> [args]   (sonic <command> --help for details)',
    '',
    'commands:',
    ...cmds.map(([n, s]) => `  ${n.padEnd(w)}  ${s}`),
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
  if (!/^[a-z][a-z-]*$/.test(cmd) || !COMMANDS.some(([n]) => n === cmd) || !existsSync(commandPath(cmd))) {
    process.stderr.write(`sonic: unknown command "${cmd}"\n\n${help()}\n`);
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
