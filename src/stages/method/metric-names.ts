// How evaluation results are named and tagged, so `sonic metrics --rows tag:method --cols name --tag
// table=…` rebuilds a table, and paper-tables reads the same names.
export const METRIC_KEYS = ['AIS', 'AIC', 'IIS', 'FID'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export function metricName(domain: string, key: MetricKey, fidFeatures: string): string {
  return key === 'FID' ? `${domain} FID (${fidFeatures})` : `${domain} ${key}`;
}

export interface EvaluationRecord {
  task: 'generation' | 'editing';
  domain: string;
  method: string;
  ablation: string;
  tables: string[];
  fidFeatures: string;
  images: number;
  values: Record<MetricKey, number>;
  names: Record<MetricKey, string>;
  chance: { AIC: number; AIS: number; IIS: number };
}
