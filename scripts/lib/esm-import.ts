/**
 * A real dynamic import(). Compiling to CommonJS, TypeScript rewrites `import()` into require(),
 * which cannot load an ES-module-only package under Jest (and only from Node 20.19 outside it);
 * code built by the Function constructor is left alone.
 */
export const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;
