// Every command the CLI knows, in the order `sonic --help` lists them.
import type { CommandSpec } from './command-spec.js';
import { DAG, RUN, STAGES, STATUS } from './pipeline-commands.js';
import { ARTIFACTS, DIFF, GC, LOGS, METRICS, PLOTS, QUERY, RUNS } from './query-commands.js';
import { DOCTOR, MODELS, UI } from './tool-commands.js';

export const COMMAND_SPECS: readonly CommandSpec[] = [RUN, STATUS, DAG, STAGES, RUNS, METRICS, DIFF, PLOTS, LOGS, ARTIFACTS, QUERY, UI, MODELS, DOCTOR, GC];
