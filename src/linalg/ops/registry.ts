/**
 * The primitive registry: one entry per `OpName`. Its type makes a primitive without a rule a
 * compile error; the gradcheck test walks it so a primitive without a test case fails too.
 */
import type { OpName, Primitive } from '../autodiff/primitive.js';
import { addP, maximumP, mulP, negP, reciprocalP, whereP } from './arith.js';
import { absP, expP, logP, powP, reluP, tanhP } from './unary.js';
import { maxP, sumP } from './reduce.js';
import { denseP, matmulP } from './linear.js';
import { broadcastToP, concatP, gatherP, reshapeP, sliceP, transposeP } from './movement.js';

/** Every primitive, keyed by name. */
export const PRIMITIVES: { readonly [K in OpName]: Primitive<K> } = {
  add: addP,
  mul: mulP,
  neg: negP,
  reciprocal: reciprocalP,
  maximum: maximumP,
  where: whereP,
  exp: expP,
  log: logP,
  tanh: tanhP,
  relu: reluP,
  abs: absP,
  pow: powP,
  sum: sumP,
  max: maxP,
  matmul: matmulP,
  dense: denseP,
  reshape: reshapeP,
  transpose: transposeP,
  broadcastTo: broadcastToP,
  slice: sliceP,
  concat: concatP,
  gather: gatherP,
};
