// How evaluation results are named and tagged, so `sonic metrics --rows tag:method --cols name --tag
// table=…` rebuilds a table, and paper-tables reads the same names.
export const METRIC_KEYS = ['AIS', 'AIC', 'IIS', 'FID'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export function metricName(domain: string, key: MetricKey, fidFeatures: string): string {
  return key === 'FID' ? `${domain} FID (${fidFeatures})` : `${domain} ${key}`;
}

/** What a record keeps per test item so intervals (and paired differences) can be computed again. */
export interface EvaluationSamples {
  ids: string[];
  AIS: number[];
  IIS: number[];
  /** 1 when the image was classified as its clip's class, else 0. */
  AIC: number[];
  /** FID features of the generated images (in `ids` order) and of the reference images. */
  fid: { generated: number[][]; reference: number[][] };
}

export interface BootstrapSettings {
  resamples: number;
  fidResamples: number;
  level: number;
  seed: number;
}

export interface EvaluationRecord {
  task: 'generation' | 'editing';
  domain: string;
  method: string;
  ablation: string;
  /** The model the ablations are measured against (the full method). */
  base: boolean;
  tables: string[];
  fidFeatures: string;
  images: number;
  values: Record<MetricKey, number>;
  names: Record<MetricKey, string>;
  chance: { AIC: number; AIS: number; IIS: number };
  /** Percentile-bootstrap interval of each value over the test items (FID: both image sets resampled). */
  intervals: Record<MetricKey, { low: number; high: number }>;
  bootstrap: BootstrapSettings;
  samples: EvaluationSamples;
}

/** A record as tables.json keeps it: without the per-item samples. */
export type EvaluationSummary = Omit<EvaluationRecord, 'samples'>;

/** Metric names of an interval's ends, e.g. "landscape AIC ci_low". */
export const ciLowName = (name: string) => `${name} ci_low`;
export const ciHighName = (name: string) => `${name} ci_high`;
