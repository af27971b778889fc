// Final vars: the merged vars of all files, then the selected profile's overlay, then --set overrides.
import type { DiagnosticBag } from './diagnostics.js';
import type { LoadedSources } from './load-sources.js';
import type { ParamValue, Params, SourcePos } from './pipeline-model.js';
import { suggestion } from './suggest.js';
import { yaml } from './yaml-source.js';

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

export function resolveVars(sources: LoadedSources, set: Record<string, string>, bag: DiagnosticBag, topFile: string): Params {
  const vars: Params = {};
  for (const [k, v] of sources.vars) vars[k] = structuredClone(v.value);
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
      for (const [k, v] of overlay) if (Object.hasOwn(vars, k)) vars[k] = structuredClone(v.value);
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
  }
  return vars;
}
