/**
 * seqrate/node — the Node-only part of the library: the MNIST loader (reads the optional `mnist`
 * package's files with `node:fs`). Everything in `seqrate/linalg`, `seqrate/models` and
 * `seqrate/theory` is portable (browsers, workers, Node) and imports nothing from Node.
 */
export { loadMnist, MissingDependencyError, type MnistOptions } from './mnist.js';
