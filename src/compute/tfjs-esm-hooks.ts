// Node module hooks that let tfjs-core's ESM build (dist/**/*.js, extensionless relative imports, no
// "type": "module") load in Node. Only used to import register_all_gradients / register_all_chained_ops,
// which tfjs-core's CommonJS node bundle does not include (the @tensorflow/tfjs union package bundles them).
const DIST = '/@tensorflow/tfjs-core/dist/';
const NODE_BUNDLE = `${DIST}tf-core.node.js`;

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;
interface LoadResult {
  format?: string;
}
type NextLoad = (url: string, context: { format?: string }) => Promise<LoadResult>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<unknown> {
  const parent = context.parentURL ?? '';
  if (parent.includes(DIST) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    return next(`${specifier}.js`, context);
  }
  return next(specifier, context);
}

export async function load(url: string, context: { format?: string }, next: NextLoad): Promise<LoadResult> {
  if (url.includes(DIST) && !url.endsWith(NODE_BUNDLE) && url.endsWith('.js')) {
    const result = await next(url, { ...context, format: 'module' });
    return { ...result, format: 'module' };
  }
  return next(url, context);
}
