// Final vars: the merged vars of all files, then the selected profile's overlay, then --set overrides.
import type { DiagnosticBag } from './diagnostics.js';
import { isFileRecordsSpec, loadFileRecords, withSelectedFiles, type RecordOrigins } from './file-records.js';
import type { LoadedSources, Located } from './load-sources.js';
import type { ParamValue, Params, SourcePos } from './pipeline-model.js';
import { suggestion } from './suggest.js';
import { DEFAULT_LIMITS, type YamlLimits } from './input-limits.js';
import { parseYamlData } from './yaml-reader.js';
import type { YamlReadOptions } from './yaml-source.js';

export type SetValue = { value: ParamValue; problem?: undefined } | { value?: undefined; problem: string };

/**
 * A --set value: YAML syntax (numbers and booleans typed); text that does not parse as YAML (or names an
 * undefined alias, like `*.wav`) stays a string. An unknown tag (`!!js/function`) or a value over the input
 * limits is a problem.
 */
export function parseSetValue(text: string, limits: YamlLimits = DEFAULT_LIMITS): SetValue {
  if (text.trim() === '') return { value: text };
  const { data, problems } = parseYamlData(text, limits);
  const refused = problems.find((p) => p.kind === 'tag' || p.kind === 'structure');
  if (refused) return { problem: refused.message };
  if (problems.length > 0 || data === undefined) return { value: text };
  return { value: data as ParamValue };
}

export interface FileVarOptions extends YamlReadOptions {
  origins: RecordOrigins;
  /** Set when a `$files` var could not be loaded (stages using it would only report follow-on errors). */
  failed?: boolean;
}

export function resolveVars(sources: LoadedSources, set: Record<string, string>, bag: DiagnosticBag, topFile: string, limits: YamlLimits = DEFAULT_LIMITS, files?: FileVarOptions): Params {
  const vars: Params = {};
  /** Where each var's final value was written (null: --set). */
  const writtenAt = new Map<string, Located<ParamValue> | null>();
  for (const [k, v] of sources.vars) {
    vars[k] = structuredClone(v.value);
    writtenAt.set(k, v);
  }
  const noPos: SourcePos = { file: topFile, line: 0, col: 0 };

  for (const [profile, overlay] of sources.profiles) {
    for (const [k, v] of overlay) {
      if (!Object.hasOwn(vars, k)) {
        bag.error(v.src.pos(v.path, 'key'), `profile "${profile}" sets "${k}", which is not declared under vars${suggestion(k, Object.keys(vars))}`);
      }
    }
  }

  const declaredProfile = sources.vars.get('profile');
  const setValue = (k: string): ParamValue | undefined => {
    const parsed = parseSetValue(set[k]!, limits);
    if (parsed.problem !== undefined) bag.error(noPos, `--set ${k}=${set[k]}: ${parsed.problem}`);
    return parsed.value;
  };
  const selected = set.profile !== undefined ? setValue('profile') : declaredProfile?.value;
  if (selected !== undefined && selected !== null) {
    const known = [...sources.profiles.keys()];
    if (typeof declaredProfile?.value === 'string' && !known.includes(declaredProfile.value)) known.unshift(declaredProfile.value);
    const name = String(selected);
    const overlay = sources.profiles.get(name);
    if (overlay) {
      for (const [k, v] of overlay) {
        if (!Object.hasOwn(vars, k)) continue;
        vars[k] = structuredClone(v.value);
        writtenAt.set(k, v);
      }
    } else if (!known.includes(name)) {
      const where = set.profile !== undefined ? noPos : declaredProfile!.src.pos(declaredProfile!.path);
      const prefix = set.profile !== undefined ? `--set profile=${set.profile}: ` : '';
      bag.error(where, `${prefix}unknown profile "${name}"${suggestion(name, known, 'known profiles')}`);
    }
    vars.profile = name;
  }

  for (const [k, text] of Object.entries(set)) {
    if (k === 'profile') continue;
    if (!Object.hasOwn(vars, k)) {
      bag.error(noPos, `--set ${k}=${text}: unknown var "${k}"${suggestion(k, Object.keys(vars))}`);
      continue;
    }
    const value = setValue(k);
    if (value !== undefined) vars[k] = value;
    writtenAt.set(k, null);
  }
  if (files) {
    for (const [k, value] of Object.entries(vars)) {
      // A profile or --set that gives a `$files` var a path or a list of paths selects other files; the
      // declaration's other keys (`$defaults`) stay.
      const v = withSelectedFiles(sources.vars.get(k)?.value, value);
      if (!isFileRecordsSpec(v)) continue;
      const from = writtenAt.get(k) ?? null;
      const records = loadFileRecords(k, v, from ? { src: from.src, path: from.path } : null, bag, files.origins, { ...files, topFile });
      if (records) vars[k] = records;
      else files.failed = true;
    }
  }
  return vars;
}
