// A stage's output declarations: relative paths inside its output directory, optional publish targets.
import { isAbsolute, posix, relative, resolve } from 'node:path';
import { interpolateString, InterpolationError, type InterpolationScope } from './interpolation.js';
import type { OutputDecl, SourcePos } from './pipeline-model.js';
import { isRecord, type ResolveContext } from './resolve-types.js';
import type { DataPath } from './yaml-source.js';
import { describeValue } from './zod-issues.js';

export function resolveOutput(
  name: string,
  written: unknown,
  at: (path: DataPath, which?: 'key' | 'value', index?: number) => SourcePos,
  scope: InterpolationScope,
  ctx: ResolveContext,
): OutputDecl | null {
  const { bag } = ctx;
  const isObj = isRecord(written);
  const rawPath = written === undefined ? name : isObj ? written.path : written;
  const pathLoc = isObj ? ['outputs', name, 'path'] : ['outputs', name];
  const one = (value: unknown, loc: DataPath, what: string): string | null => {
    try {
      const v = typeof value === 'string' ? interpolateString(value, scope) : value;
      if (typeof v === 'string' && v !== '') return v;
      bag.error(at(loc), `${what}: expected a path, got ${describeValue(v)}`);
    } catch (e) {
      if (!(e instanceof InterpolationError)) throw e;
      bag.error(at(loc, 'value', e.index), e.message);
    }
    return null;
  };
  const path = one(rawPath, pathLoc, 'path');
  if (path === null) return null;
  let ok = true;
  const normalized = posix.normalize(path.replaceAll('\\', '/'));
  if (isAbsolute(path) || posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(path)) {
    bag.error(at(pathLoc), `output path ${JSON.stringify(path)} must be relative to the stage's output directory`);
    ok = false;
  } else if (normalized.split('/').includes('..')) {
    bag.error(at(pathLoc), `output path ${JSON.stringify(path)} must stay inside the stage's output directory (no "..")`);
    ok = false;
  } else if (normalized === '.' || normalized === './') {
    bag.error(at(pathLoc), `output path ${JSON.stringify(path)} must name a file or directory inside the stage's output directory`);
    ok = false;
  }
  const decl: OutputDecl = { path: normalized.replace(/\/$/, '') };
  if (isObj && written.publish !== undefined) {
    const loc = ['outputs', name, 'publish'];
    const publish = one(written.publish, loc, 'publish');
    if (publish === null) return null;
    const abs = resolve(ctx.rootDir, publish);
    const rel = relative(ctx.workspaceRoot, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      bag.error(at(loc), `publish path ${JSON.stringify(publish)} resolves outside the workspace root`);
      ok = false;
    }
    decl.publish = abs;
  }
  return ok ? decl : null;
}
