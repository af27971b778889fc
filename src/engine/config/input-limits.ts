// Limits on what a YAML file the user gives may cost to load, and on matrix sizes. They keep a mistaken or
// hostile file (50 MB of numbers, an alias bomb, 20,000 nested lists) from exhausting memory or the stack:
// each is checked before the step it protects (file size before reading, nesting and list lengths before
// the YAML tree is built, alias expansion before it is converted to data, matrix size before expansion).
// Every limit can be raised with an environment variable.

export interface YamlLimits {
  /** Size of one YAML file in bytes, checked before it is read. */
  maxFileBytes: number;
  /** Nesting of lists and mappings. */
  maxDepth: number;
  /** Items in one YAML list. */
  maxListItems: number;
  /** Values (scalars, lists, mappings) in one document, counted with every alias expanded. */
  maxValues: number;
}

export interface PipelineLimits extends YamlLimits {
  /** Combinations in one stage's matrix (the product of its lists' lengths, before `exclude`). */
  maxMatrixCombinations: number;
}

interface LimitSetting {
  key: keyof PipelineLimits;
  env: string;
  defaultValue: number;
  /** Values above this would break what the limit protects (the parser's stack for nesting). */
  ceiling?: number;
}

export const LIMIT_SETTINGS: readonly LimitSetting[] = [
  { key: 'maxFileBytes', env: 'SONIC_MAX_YAML_BYTES', defaultValue: 2 * 1024 * 1024 },
  { key: 'maxDepth', env: 'SONIC_MAX_YAML_DEPTH', defaultValue: 64, ceiling: 500 },
  { key: 'maxListItems', env: 'SONIC_MAX_YAML_LIST_ITEMS', defaultValue: 10_000 },
  { key: 'maxValues', env: 'SONIC_MAX_YAML_VALUES', defaultValue: 1_000_000 },
  { key: 'maxMatrixCombinations', env: 'SONIC_MAX_MATRIX_COMBINATIONS', defaultValue: 1_000 },
];

export const DEFAULT_LIMITS: PipelineLimits = Object.fromEntries(LIMIT_SETTINGS.map((s) => [s.key, s.defaultValue])) as unknown as PipelineLimits;

/** The environment variable that raises a limit, for messages ("SONIC_MAX_YAML_DEPTH raises it"). */
export function limitEnv(key: keyof PipelineLimits): string {
  return LIMIT_SETTINGS.find((s) => s.key === key)!.env;
}

/**
 * The limits in effect: the defaults, overridden by environment variables. A value that is not a whole
 * number ≥ 1 (or is above a limit's ceiling) keeps the default and is reported in `problems`.
 */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): { limits: PipelineLimits; problems: string[] } {
  const limits = { ...DEFAULT_LIMITS };
  const problems: string[] = [];
  for (const s of LIMIT_SETTINGS) {
    const text = env[s.env];
    if (text === undefined || text.trim() === '') continue;
    const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) problems.push(`${s.env}=${text}: expected a whole number >= 1`);
    else if (s.ceiling !== undefined && n > s.ceiling) problems.push(`${s.env}=${text}: at most ${s.ceiling} is supported`);
    else limits[s.key] = n;
  }
  return { limits, problems };
}

/** "2 MiB", "512 KiB", "900 bytes" */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
