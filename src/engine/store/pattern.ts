// The filter patterns of `sonic metrics --stage/--name`: exact text, or `*` as a wildcard for any run of
// characters. Nothing else is special, so stage ids like `train[ablation=no_mse]` match literally.

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

export function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

export function matchesPattern(pattern: string, value: string): boolean {
  return hasWildcard(pattern) ? wildcardToRegExp(pattern).test(value) : pattern === value;
}
