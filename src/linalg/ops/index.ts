// Filled by the ops work; re-exported from src/linalg/index.ts.
export {};
