/**
 * The only runtime globals the portable layers (linalg, models, theory) may use beyond ES2023:
 * each exists in browsers, Web Workers and Node alike. Used by tsconfig.{linalg,models,theory}.json,
 * which type-check those layers without Node or DOM types.
 */
declare const performance: { now(): number };
