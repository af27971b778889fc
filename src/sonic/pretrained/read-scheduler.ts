// A diffusers scheduler directory (scheduler_config.json) -> SchedulerConfig (see scheduler-config-json.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchedulerConfig } from '../schedulers/scheduler-config.js';
import { DiffusersConfigError } from './config-fields.js';
import { schedulerConfigFromJson } from './scheduler-config-json.js';

export const SCHEDULER_CONFIG_FILE = 'scheduler_config.json';

export function readSchedulerConfig(dir: string): SchedulerConfig {
  const path = join(dir, SCHEDULER_CONFIG_FILE);
  if (!existsSync(path)) throw new Error(`${path}: the scheduler config does not exist (a diffusers scheduler/ folder holds ${SCHEDULER_CONFIG_FILE})`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    throw new DiffusersConfigError(path, null, undefined, `not valid JSON (${(e as Error).message})`);
  }
  return schedulerConfigFromJson(json, path);
}
