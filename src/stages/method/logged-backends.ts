// Which tfjs backend the stages computed on: every compute stage logs "tfjs backend: NAME (why)" when it
// starts (stages/common/runtime.ts); the report reads those lines back from the stage logs.
import { readFileSync } from 'node:fs';
import type { RunRecordStage } from '../../engine/stage/run-record.js';

const BACKEND_LINE = /tfjs backend: (\S+)/;

/** Distinct backend names, most used first, e.g. ["wasm"]; stages whose log is gone are skipped. */
export function loggedBackends(stages: ReadonlyArray<Pick<RunRecordStage, 'logPath'>>): string[] {
  const counts = new Map<string, number>();
  for (const s of stages) {
    if (s.logPath === null) continue;
    let text: string;
    try {
      text = readFileSync(s.logPath, 'utf8');
    } catch {
      continue;
    }
    const m = BACKEND_LINE.exec(text);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}
