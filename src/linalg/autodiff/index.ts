// Filled by the autodiff work; re-exported from src/linalg/index.ts.
export {};
