// Filled by the kernels work; re-exported from src/linalg/index.ts.
export {};
