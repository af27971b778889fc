// Reads the top-level pipeline file and everything it includes (depth first, each file once), checks each
// against the file schema and merges vars, profiles and stage definitions.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DiagnosticBag } from './diagnostics.js';
import { displayPath, formatPosition } from './diagnostics.js';
import { withSelectedFiles } from './file-records.js';
import { findInterpolations } from './interpolation.js';
import type { ParamValue, SourcePos } from './pipeline-model.js';
import { pipelineFileSchema } from './pipeline-schema.js';
import { YamlSource, type DataPath, type YamlReadOptions } from './yaml-source.js';
import { issuesToDiagnostics } from './zod-issues.js';

/** A stage as written, before matrix expansion. `broken` stages failed the schema: known, not resolved. */
export interface StageDefinitionSite {
  id: string;
  raw: Record<string, unknown>;
  src: YamlSource;
  broken: boolean;
}

export interface Located<T> {
  value: T;
  src: YamlSource;
  path: DataPath;
}

export interface LoadedSources {
  top: YamlSource | null;
  name: string | null;
  /** The pipeline's `notice` as written (the last file read that sets it). */
  notice: Located<string> | null;
  stages: StageDefinitionSite[];
  vars: Map<string, Located<ParamValue>>;
  profiles: Map<string, Map<string, Located<ParamValue>>>;
  /** A file could not be read or parsed: later phases would only report follow-on errors. */
  incomplete: boolean;
}

/** Fields without which a stage cannot be expanded or referenced without follow-on errors. */
const CRUCIAL_FIELDS = ['*', 'run', 'uses', 'inputs', 'outputs', 'matrix'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Top-level `x-…` keys are ignored: a place to define YAML anchors (`x-defaults: &defaults`). */
function withoutExtensionKeys(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('x-')));
}

export function loadSources(topFile: string, bag: DiagnosticBag, options: YamlReadOptions = {}): LoadedSources {
  const out: LoadedSources = { top: null, name: null, notice: null, stages: [], vars: new Map(), profiles: new Map(), incomplete: false };
  const done = new Set<string>();
  const stageSites = new Map<string, StageDefinitionSite>();

  const visit = (file: string, chain: string[], from: Located<string> | null): void => {
    const fromPos: SourcePos = from ? from.src.pos(from.path) : { file, line: 0, col: 0 };
    if (chain.includes(file)) {
      const cycle = [...chain.slice(chain.indexOf(file)), file].map((f) => displayPath(f)).join(' -> ');
      bag.error(fromPos, `include cycle: ${cycle}`);
      return;
    }
    if (done.has(file)) return;
    done.add(file);
    if (!existsSync(file)) {
      bag.error(fromPos, from ? `included file not found: ${displayPath(file)}` : 'pipeline file not found');
      out.incomplete = true;
      return;
    }
    let src: YamlSource;
    try {
      src = YamlSource.read(file, options);
    } catch (e) {
      bag.error(fromPos, `cannot read ${displayPath(file)}: ${(e as Error).message}`);
      out.incomplete = true;
      return;
    }
    bag.noteFile(file);
    if (!out.top) out.top = src;
    if (src.syntaxErrors.length > 0) {
      for (const d of src.syntaxErrors) {
        // a problem with the whole file (its size) points at the include that names it
        if (d.line === 0 && from) bag.error(fromPos, `${displayPath(file)}: ${d.message}`);
        else bag.add(d);
      }
      out.incomplete = true;
      return;
    }
    if (!isRecord(src.data)) {
      bag.error(src.pos([]), 'expected a mapping with at least "version: 1" and "stages"');
      out.incomplete = true;
      return;
    }
    const data = withoutExtensionKeys(src.data);
    const parsed = pipelineFileSchema.safeParse(data);
    const brokenFields = new Set<string>();
    const brokenStages = new Map<string, Set<string>>();
    if (!parsed.success) {
      for (const d of issuesToDiagnostics(parsed.error.issues, pipelineFileSchema, data, src, [])) bag.add(d);
      for (const issue of parsed.error.issues) {
        const [head, id] = issue.path;
        if (head === 'stages' && issue.path.length >= 2) {
          // An unknown key leaves the stage usable; a bad value breaks its field (or the whole stage).
          const fields = brokenStages.get(String(id)) ?? new Set<string>();
          if (issue.path.length > 2) fields.add(String(issue.path[2]));
          else if (issue.code !== 'unrecognized_keys') fields.add('*');
          brokenStages.set(String(id), fields);
        }
        else if (typeof head === 'string') brokenFields.add(head);
      }
    }
    const field = (key: string): unknown => (brokenFields.has(key) ? undefined : data[key]);

    const includes = field('include');
    if (Array.isArray(includes)) {
      includes.forEach((inc, i) => {
        if (typeof inc !== 'string') return;
        visit(resolve(dirname(file), inc), [...chain, file], { value: inc, src, path: ['include', i] });
      });
    }

    if (chain.length === 0 && typeof field('name') === 'string') out.name = field('name') as string;
    if (typeof field('notice') === 'string') out.notice = { value: field('notice') as string, src, path: ['notice'] };

    const literalOnly = (value: unknown, path: DataPath, what: string): boolean => {
      const found = findInterpolations(value, [...path]);
      for (const p of found) bag.error(src.pos(p), `${what} are literal: "\${{" interpolation is not allowed here (write "$\${{" for a literal "\${{")`);
      return found.length === 0;
    };

    const vars = field('vars');
    if (isRecord(vars)) {
      for (const [k, v] of Object.entries(vars)) {
        if (!literalOnly(v, ['vars', k], 'vars')) continue;
        out.vars.set(k, { value: withSelectedFiles(out.vars.get(k)?.value, v) as ParamValue, src, path: ['vars', k] });
      }
    }
    const profiles = field('profiles');
    if (isRecord(profiles)) {
      for (const [p, overlay] of Object.entries(profiles)) {
        if (!isRecord(overlay)) continue;
        const merged = out.profiles.get(p) ?? new Map<string, Located<ParamValue>>();
        for (const [k, v] of Object.entries(overlay)) {
          if (literalOnly(v, ['profiles', p, k], 'profile values')) merged.set(k, { value: v as ParamValue, src, path: ['profiles', p, k] });
        }
        out.profiles.set(p, merged);
      }
    }
    const stages = field('stages');
    if (isRecord(stages)) {
      for (const [id, raw] of Object.entries(stages)) {
        const previous = stageSites.get(id);
        if (previous) {
          const first = formatPosition(previous.src.pos(['stages', id], 'key'));
          bag.error(src.pos(['stages', id], 'key'), `duplicate stage id "${id}" (first defined at ${first})`);
          continue;
        }
        const broken = brokenStages.get(id) ?? new Set<string>();
        const usable = isRecord(raw) && !CRUCIAL_FIELDS.some((f) => broken.has(f));
        const kept = usable ? Object.fromEntries(Object.entries(raw).filter(([k]) => !broken.has(k))) : {};
        const site: StageDefinitionSite = { id, raw: kept, src, broken: !usable };
        stageSites.set(id, site);
        out.stages.push(site);
      }
    }
  };

  visit(topFile, [], null);
  return out;
}
