// A stage's inputs as written: workspace paths and stage references (bound later), lists of them.
import type { DiagnosticBag } from './diagnostics.js';
import { exprSource, interpolateString, InterpolationError, parseTemplate, type InterpolationScope } from './interpolation.js';
import type { StageDefinitionSite } from './load-sources.js';
import type { ParamValue } from './pipeline-model.js';
import type { PendingItem } from './resolve-types.js';
import type { DataPath } from './yaml-source.js';
import { describeValue } from './zod-issues.js';

export function collectInput(
  value: unknown,
  path: DataPath,
  site: StageDefinitionSite,
  scope: InterpolationScope,
  bag: DiagnosticBag,
): { items: PendingItem[]; list: boolean } | null {
  const items: PendingItem[] = [];
  let ok = true;
  const item = (v: unknown, loc: DataPath): ParamValue | undefined => {
    const pos = site.src.pos(loc);
    if (typeof v !== 'string') {
      bag.error(pos, `expected a path or a \${{ stages.ID.outputs.NAME }} reference, got ${describeValue(v)}`);
      ok = false;
      return undefined;
    }
    try {
      const segments = parseTemplate(v);
      if (segments.length === 1 && 'expr' in segments[0]! && segments[0].expr.kind === 'stage') {
        items.push({ ref: segments[0].expr, pos });
        return undefined;
      }
      const r = interpolateString(v, {
        ...scope,
        reference: (e) => ({
          error:
            e.kind === 'stage'
              ? `"\${{ ${exprSource(e)} }}" must be the whole input value (one reference per input or list item)`
              : `"\${{ ${exprSource(e)} }}" is only allowed in run`,
        }),
      });
      return r;
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      bag.error(site.src.pos(loc, 'value', e.index), e.message);
      ok = false;
      return undefined;
    }
  };
  const addFiles = (v: ParamValue | undefined, loc: DataPath, allowList: boolean): boolean => {
    if (v === undefined) return false;
    if (typeof v === 'string' && v !== '') {
      items.push({ file: v, pos: site.src.pos(loc) });
      return false;
    }
    if (allowList && Array.isArray(v)) {
      for (const x of v) addFiles(x, loc, false);
      return true;
    }
    bag.error(site.src.pos(loc), `expected a path or a \${{ stages.ID.outputs.NAME }} reference, got ${describeValue(v)}`);
    ok = false;
    return false;
  };
  let list = false;
  if (Array.isArray(value)) {
    list = true;
    value.forEach((v, i) => addFiles(item(v, [...path, i]), [...path, i], false));
  } else {
    list = addFiles(item(value, path), path, true);
  }
  return ok ? { items, list } : null;
}
