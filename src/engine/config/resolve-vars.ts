// Final vars: the merged vars of all files, then the selected profile's overlay, then --set overrides.
import type { DiagnosticBag } from './diagnostics.js';
import { isFileRecordsSpec, loadFileRecords, withSelectedFiles, type RecordOrigins } from './file-records.js';
import type { LoadedSources, Located } from './load-sources.js';
import type { ParamValue, Params, SourcePos } from './pipeline-model.js';
import { suggestion } from './suggest.js';
import { yaml, type YamlReadOptions } from './yaml-source.js';

/** A --set value: YAML scalar syntax (numbers and booleans typed), anything unparsable stays a string. */
export function parseSetValue(text: string): ParamValue {
  if (text.trim() === '') return text;
  try {
    const v = yaml().parse(text) as unknown;
    return v === undefined ? text : (v as ParamValue);
  } catch {
    return text;
  }
}

export interface FileVarOptions extends YamlReadOptions {
  origins: RecordOrigins;
  /** Set when a `$files` var could not be loaded (stages using it would only report follow-on errors). */
  failed?: boolean;
}

export function resolveVars(sources: LoadedSources, set: Record<string, string>, bag: DiagnosticBag, topFile: string, files?: FileVarOptions): Params {
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
  const selected = set.profile !== undefined ? parseSetValue(set.profile) : declaredProfile?.value;
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
    vars[k] = parseSetValue(text);
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
