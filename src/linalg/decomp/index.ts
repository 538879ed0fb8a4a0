// Filled by the decomp work; re-exported from src/linalg/index.ts.
export {};
