// Declarations of the commands that read a pipeline file: run, status, dag, stages.
import { defineCommand, MANY, SET_OPTION, WORKSPACE_OPTION } from './command-spec.js';

export const RUN = defineCommand({
  name: 'run',
  summary: 'run a pipeline (what changed, and everything it needs)',
  positionals: { min: 1, max: MANY },
  options: {
    ...WORKSPACE_OPTION,
    ...SET_OPTION,
    jobs: { type: 'string' },
    cpus: { type: 'string' },
    memory: { type: 'string' },
    gpus: { type: 'string' },
    force: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    'fail-fast': { type: 'boolean' },
    wait: { type: 'boolean' },
    'no-progress': { type: 'boolean' },
    executor: { type: 'string' },
    'log-limit': { type: 'string' },
  },
  usage: `usage: sonic run PIPELINE [TARGET…] [options]

Runs the targets (stage ids or base ids of matrix stages) and everything they depend on; all stages when
no target is given. Stages whose fingerprint matches an earlier successful run are reused, not rerun.

options:
  --set KEY=VALUE     override a pipeline var (repeatable)
  --jobs N            run at most N stages at once (default: --cpus)
  --cpus N            cpu budget shared by running stages (default: all cores)
  --memory SIZE       memory budget, e.g. 8GB (default: total memory)
  --gpus IDS          GPU device ids to hand out, e.g. 0,1 (default: detected with nvidia-smi)
  --force STAGE       rerun STAGE even if cached (repeatable; base ids select all instances)
  --dry-run           print what would run and why; execute nothing
  --fail-fast         on the first failure stop scheduling and cancel running stages
  --wait              wait for another run holding the workspace lock instead of failing
  --no-progress       plain line output instead of the live progress display
  --log-limit SIZE    cap on each stage's log file, e.g. 200MB (default 64MB); output past it is discarded
  --workspace DIR     the .sonic directory (default: $SONIC_WORKSPACE, else ./.sonic)
  --executor NAME     where stages run: local or slurm (default: the workspace config's executor.default,
                      else local); overrides executor.default and executor.stages

Without a terminal (or with --no-progress) every progress line starts with a UTC timestamp, and each
running stage reports its progress at least every 30 s.

exit codes: 0 ok, 1 a stage failed, 2 usage or config error, 130 interrupted`,
});

export const STATUS = defineCommand({
  name: 'status',
  summary: 'when each stage last succeeded and why it would rerun',
  positionals: { min: 1, max: MANY },
  options: { ...WORKSPACE_OPTION, ...SET_OPTION, force: { type: 'string', multiple: true } },
  usage: `usage: sonic status PIPELINE [TARGET…] [--set KEY=VALUE]… [--force STAGE]… [--workspace DIR]

For every stage: when it last succeeded, and whether the next \`sonic run\` would reuse it or run it, and why.`,
});

export const DAG = defineCommand({
  name: 'dag',
  summary: 'print the stage graph (ASCII tree or --mermaid)',
  positionals: { min: 1, max: 1 },
  options: { ...WORKSPACE_OPTION, ...SET_OPTION, mermaid: { type: 'boolean' } },
  usage: `usage: sonic dag PIPELINE [--mermaid] [--set KEY=VALUE]…

Prints the stage graph as a tree (stages with several inputs appear once in full, then "(see above)"),
or as a Mermaid flowchart with --mermaid.`,
});

export const STAGES = defineCommand({
  name: 'stages',
  summary: "list a pipeline's stages: kind, params, inputs, outputs",
  positionals: { min: 1, max: 1 },
  options: { ...WORKSPACE_OPTION, ...SET_OPTION, json: { type: 'boolean' } },
  usage: `usage: sonic stages PIPELINE [--set KEY=VALUE]… [--json]

Lists every stage of the resolved pipeline (matrix instances expanded, vars and profiles applied) in
run order: its kind (the built-in stage it uses, or the command it runs), its resolved params, its
inputs (files, or NAME <- STAGE.OUTPUT for another stage's output) and its declared outputs.
--json prints the same as a JSON array, one object per stage.`,
});
