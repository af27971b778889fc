// The model registry (experiments/models.yaml): every pretrained file the paper path needs, where it goes,
// and how to get it: a user-supplied local file (the primary route), a download from the HF Hub or a URL
// verified against a recorded sha256, or a local `make` command (ONNX exports, .pth → safetensors).
// Resolution never guesses: a missing file produces an error naming the file, the exact path to put it
// at, and how to obtain it.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { limitsFromEnv } from '../../engine/config/input-limits.js';
import { readYamlFile } from '../../engine/config/yaml-reader.js';
import { z } from 'zod';

const hfSource = z.object({
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected "owner/name"'),
  repoType: z.enum(['model', 'space', 'dataset']).default('model'),
  revision: z.string().min(1),
  file: z.string().min(1),
});

const fileEntry = z
  .object({
    name: z.string().min(1), // path inside the model's dir (may contain '/')
    path: z.string().min(1).optional(), // user-supplied location, overrides the default place
    hf: hfSource.optional(),
    url: z.url().optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits')
      .nullable()
      .optional(),
    make: z.string().min(1).optional(),
  })
  .superRefine((f, ctx) => {
    const sources = [f.hf, f.url, f.make].filter((s) => s !== undefined).length;
    if (sources !== 1 && f.path === undefined) ctx.addIssue({ code: 'custom', message: 'give exactly one of hf, url, make (or a local path)' });
    if ((f.hf || f.url) && f.sha256 === undefined) ctx.addIssue({ code: 'custom', message: 'downloadable files need sha256 (null if not known yet)', path: ['sha256'] });
  });

const modelEntry = z.object({
  description: z.string().optional(),
  impl: z.string().min(1).optional(),
  roles: z.array(z.string().min(1)).default([]),
  dir: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  files: z.array(fileEntry).min(1),
});

export const registrySchema = z.object({
  version: z.literal(1),
  modelsDir: z.string().min(1),
  cacheDir: z.string().min(1),
  models: z.record(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'model names are lowercase, digits, . and -'), modelEntry),
});

export type ModelRegistryData = z.infer<typeof registrySchema>;
export type RegistryModel = z.infer<typeof modelEntry>;
export type RegistryFile = z.infer<typeof fileEntry>;

export class ModelRegistryError extends Error {}

export interface RegistryContext {
  /** Directory relative paths in the registry resolve against (the repository root). */
  root: string;
  env?: Record<string, string | undefined>;
}

export class ModelRegistry {
  readonly modelsDir: string;
  readonly cacheDir: string;

  constructor(
    readonly file: string,
    readonly data: ModelRegistryData,
    readonly ctx: RegistryContext,
  ) {
    const env = ctx.env ?? process.env;
    this.modelsDir = absolutize(env.SONIC_MODELS_DIR ?? data.modelsDir, ctx.root);
    this.cacheDir = absolutize(env.SONIC_MODEL_CACHE ?? data.cacheDir, ctx.root);
  }

  model(name: string): RegistryModel {
    const m = this.data.models[name];
    if (!m) throw new ModelRegistryError(`${this.file}: no model named '${name}' (known: ${Object.keys(this.data.models).join(', ')})`);
    return m;
  }

  /** The documented place for a file: <modelsDir>/<dir>/<name>. */
  targetPath(modelName: string, file: RegistryFile): string {
    return join(this.modelsDir, this.model(modelName).dir, file.name);
  }

  cachePath(file: RegistryFile): string | null {
    if (file.hf) return join(this.cacheDir, 'huggingface.co', file.hf.repoType, file.hf.repo, file.hf.revision, file.hf.file);
    if (file.url) {
      const u = new URL(file.url);
      return join(this.cacheDir, u.host, ...u.pathname.split('/').filter(Boolean));
    }
    return null;
  }

  downloadUrl(file: RegistryFile): string | null {
    if (file.hf) {
      const prefix = file.hf.repoType === 'model' ? '' : `${file.hf.repoType}s/`;
      return `https://huggingface.co/${prefix}${file.hf.repo}/resolve/${encodeURIComponent(file.hf.revision)}/${file.hf.file}`;
    }
    return file.url ?? null;
  }

  /** Existing location of a file, or null: the user's `path`, the target path, the download cache. */
  locate(modelName: string, file: RegistryFile): string | null {
    if (file.path !== undefined) {
      const p = absolutize(file.path, this.ctx.root);
      return existsSync(p) ? p : null;
    }
    const target = this.targetPath(modelName, file);
    if (existsSync(target)) return target;
    const cached = this.cachePath(file);
    return cached && existsSync(cached) ? cached : null;
  }

  /** The `make` command with {dir}, {dir:MODEL} and {file:MODEL/NAME} filled in where they can be. */
  makeCommand(modelName: string, file: RegistryFile): string | null {
    if (!file.make) return null;
    return file.make
      .replace(/\{dir\}/g, join(this.modelsDir, this.model(modelName).dir))
      .replace(/\{dir:([^}]+)\}/g, (_, m: string) => {
        const other = this.model(m);
        const found = other.files.map((f) => ({ f, at: this.locate(m, f) })).find((x) => x.at !== null);
        return found ? found.at!.slice(0, found.at!.length - found.f.name.length - 1) : join(this.modelsDir, other.dir);
      })
      .replace(/\{file:([^}/]+)\/([^}]+)\}/g, (_, m: string, name: string) => {
        const f = this.model(m).files.find((x) => x.name === name);
        if (!f) throw new ModelRegistryError(`${this.file}: '${modelName}' refers to {file:${m}/${name}}, which is not listed under '${m}'`);
        return this.locate(m, f) ?? this.targetPath(m, f);
      });
  }

  /** The error text for a file that is not where it should be. */
  missingMessage(modelName: string, file: RegistryFile, reason?: string): string {
    const where = file.path !== undefined ? absolutize(file.path, this.ctx.root) : this.targetPath(modelName, file);
    const lines = [`model '${modelName}': file '${file.name}' is missing${reason ? ` (${reason})` : ''}.`, `  Place it at: ${where}`];
    if (file.path === undefined) lines.push(`  (or set files[].path for it in ${this.file})`);
    const url = this.downloadUrl(file);
    if (url) {
      lines.push(`  Download from: ${url}`);
      lines.push(file.sha256 ? `  Expected sha256: ${file.sha256}` : `  No sha256 is recorded for it in ${this.file}; record the one of your copy (sha256sum) to enable verified downloads.`);
    }
    const make = this.makeCommand(modelName, file);
    if (make) lines.push(`  Produce it with: ${make}`);
    return lines.join('\n');
  }
}

function absolutize(p: string, root: string): string {
  if (p === '~' || p.startsWith('~/')) return join(homedir(), p.slice(1));
  return isAbsolute(p) ? p : resolve(root, p);
}

/** Reads and validates experiments/models.yaml; errors name the file, line and field. */
export function loadModelRegistry(file: string, ctx?: Partial<RegistryContext>): ModelRegistry {
  const { limits, problems: limitProblems } = limitsFromEnv();
  if (limitProblems.length > 0) throw new ModelRegistryError(limitProblems.join('; '));
  let read: ReturnType<typeof readYamlFile>;
  try {
    read = readYamlFile(file, limits);
  } catch (e) {
    throw new ModelRegistryError(`${file}: cannot read the model registry (${(e as Error).message})`);
  }
  if (read.problems.length > 0 || read.parsed === undefined) {
    throw new ModelRegistryError(read.problems.map((p) => `${file}${p.line > 0 ? `:${p.line}:${p.col}` : ''}: ${p.message}`).join('\n'));
  }
  const { doc, lines: lc } = read.parsed;
  const parsed = registrySchema.safeParse(read.data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const path = i.path.map(String);
      let node: unknown = null;
      for (let n = path.length; n >= 0 && !node; n--) node = doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null)?.range;
      const line = range ? lc.linePos(range[0]).line : '?';
      return `${file}:${line}: ${path.join('.') || '(root)'}: ${i.message}`;
    });
    throw new ModelRegistryError(`invalid model registry:\n${issues.join('\n')}`);
  }
  return new ModelRegistry(file, parsed.data, { root: ctx?.root ?? dirname(dirname(resolve(file))), env: ctx?.env });
}

export interface ResolveOptions {
  /** Download missing hf/url files (verified against sha256). Off by default: resolution is offline. */
  download?: boolean;
  /** Download even when no sha256 is recorded (prints the computed one). */
  allowUnverified?: boolean;
  fetchImpl?: typeof fetch;
  log?: (line: string) => void;
}

export interface ResolvedModel {
  name: string;
  impl: string | undefined;
  /** The directory holding the model's files (what a bundle's ModelRef.path points at). */
  dir: string;
  files: Record<string, string>;
  options: Record<string, unknown>;
}

/** Finds (or, if allowed, downloads) every file of a model; throws one message listing all missing files. */
export async function resolveModel(reg: ModelRegistry, name: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  const model = reg.model(name);
  const files: Record<string, string> = {};
  const missing: string[] = [];
  for (const f of model.files) {
    let at = reg.locate(name, f);
    if (!at && opts.download && (f.hf || f.url) && f.path === undefined) {
      try {
        at = await downloadVerified(reg, name, f, opts);
      } catch (e) {
        missing.push(reg.missingMessage(name, f, (e as Error).message));
        continue;
      }
    }
    if (at) files[f.name] = at;
    else missing.push(reg.missingMessage(name, f));
  }
  if (missing.length) throw new ModelRegistryError(missing.join('\n'));
  const first = model.files[0]!;
  const firstAt = files[first.name]!;
  const dir = firstAt.slice(0, firstAt.length - first.name.length - 1);
  return { name, impl: model.impl, dir, files, options: model.options };
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function downloadVerified(reg: ModelRegistry, name: string, f: RegistryFile, opts: ResolveOptions): Promise<string> {
  const url = reg.downloadUrl(f)!;
  const dest = reg.cachePath(f)!;
  if (!f.sha256 && !opts.allowUnverified) throw new Error(`no sha256 recorded, so it is not downloaded automatically`);
  const fetchImpl = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await fetchImpl(url, { redirect: 'follow' });
  } catch (e) {
    throw new Error(`download of ${url} failed: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`);
  }
  if (!res.ok || !res.body) throw new Error(`download of ${url} failed: HTTP ${res.status}`);
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.part-${process.pid}`;
  const h = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    writeFileSync(tmp, '');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const b = Buffer.from(chunk);
      h.update(b);
      chunks.push(b);
      size += b.length;
      if (size > 64 * 1024 * 1024) {
        writeFileSync(tmp, Buffer.concat(chunks), { flag: 'a' });
        chunks.length = 0;
        size = 0;
      }
    }
    writeFileSync(tmp, Buffer.concat(chunks), { flag: 'a' });
    const got = h.digest('hex');
    if (f.sha256 && got !== f.sha256) throw new Error(`checksum mismatch for ${url}: expected sha256 ${f.sha256}, got ${got}; the download was discarded`);
    if (!f.sha256) (opts.log ?? console.error)(`${reg.file}: model '${name}' file '${f.name}' downloaded unverified; record sha256: ${got}`);
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  if (!statSync(dest).isFile()) throw new Error(`${dest}: not a file after download`);
  return dest;
}

export interface FileStatus {
  model: string;
  file: string;
  found: string | null;
  /** Where the file should go when it is missing. */
  target: string;
}

/** Every file of every model (or of `names`), found or not, without touching the network. */
export function registryStatus(reg: ModelRegistry, names?: string[]): FileStatus[] {
  const out: FileStatus[] = [];
  for (const name of names ?? Object.keys(reg.data.models)) {
    for (const f of reg.model(name).files) {
      const target = f.path !== undefined ? absolutize(f.path, reg.ctx.root) : reg.targetPath(name, f);
      out.push({ model: name, file: f.name, found: reg.locate(name, f), target });
    }
  }
  return out;
}

/** A human-readable table of registryStatus, one line per file. */
export function formatRegistryStatus(rows: FileStatus[]): string {
  return rows.map((r) => `${r.found ? 'ok     ' : 'MISSING'} ${r.model}/${r.file}  ${r.found ?? `→ place at ${r.target}`}`).join('\n');
}
