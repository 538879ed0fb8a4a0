/**
 * Reverse-mode autodiff: `grad`, `valueAndGrad`, `noGrad`, `gradcheck`, and the primitive
 * contract (`OpName`, `Primitive`). The differentiable ops themselves live in `../ops`.
 */
export { grad, valueAndGrad, type TensorRecord } from './grad.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './gradcheck.js';
export { noGrad, isRecording } from './tape.js';
export { OP_NAMES, definePrimitive, type OpName, type Primitive } from './primitive.js';
