/**
 * Recurrent models of PAPER.md §4: the linear RNN `h(t) = W h(t−1) + U x(t)`, `y(t) = cᵀ h(t)`,
 * `h(−1) = 0` (Li, Han, E & Li 2021), whose kernel is `ρ̂(s) = cᵀ W^s U` so that
 * `Ĥ_t(x) = Σ_{s=0}^{t} ρ̂(s) x(t−s)`; and the tanh RNN `h(t) = tanh(W h(t−1) + U x(t) + b)`,
 * `y(t) = cᵀ h(t) + c₀`. Both unroll over the whole sequence on the tape (BPTT), one batched
 * matmul per time step (the recursion is sequential in t, batched over B).
 *
 * Row-vector convention: h (B, m), so the step is `h ← h Wᵀ + x_t Uᵀ` with W (m, m), U (m, d).
 * Shape legend: B batch, T = τ steps, d input width, m hidden width.
 */
import {
  add,
  createRng,
  matmul,
  randn,
  reshape,
  spectralRadius,
  stack,
  tanh,
  zeros,
  ValueError,
  type Rng,
  type Tensor,
} from '../linalg/index.js';
import { checkConfigKeys, checkInput, checkInt, param, type Model, type Params } from './module.js';

/** Configuration of LinearRNN / TanhRNN. */
export interface RNNConfig {
  /** Input width d. */
  d: number;
  /** Hidden width m. */
  hidden: number;
  /** Spectral radius of W at initialisation, in (0, 1) for stability (default 0.9). */
  initRadius?: number;
}

const KEYS = ['d', 'hidden', 'initRadius'] as const;

/** Re-exported from seqrate/linalg, where it now lives (kept here so `seqrate/models` still has it). */
export { spectralRadius } from '../linalg/index.js';

function initRecurrent(op: string, rng: Rng, m: number, radius: number): Tensor {
  if (!(radius > 0 && radius < 1)) throw new ValueError(op, `initRadius must lie in (0, 1), got ${radius}`);
  const w = randn(rng, [m, m]);
  const r = spectralRadius(w);
  for (let i = 0; i < w.data.length; i++) w.data[i]! *= radius / r;
  return w;
}

/** Time-major per-step inputs x_t (B, d), plain (the data is not traced). */
function steps(x: Tensor): Tensor[] {
  const [B, T, d] = [x.shape[0]!, x.shape[1]!, x.shape[2]!];
  const out: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const xt = new Float64Array(B * d);
    for (let b = 0; b < B; b++) xt.set(x.data.subarray((b * T + t) * d, (b * T + t + 1) * d), b * d);
    out.push({ data: xt, shape: [B, d] });
  }
  return out;
}

abstract class RNNBase implements Model<RNNConfig> {
  abstract readonly kind: string;
  readonly configKeys: readonly string[] = KEYS;
  readonly config: RNNConfig;
  params: Params;

  constructor(config: RNNConfig, seed: number, op: string, bias: boolean) {
    checkConfigKeys(op, config, KEYS);
    const d = checkInt(op, 'd', config.d),
      m = checkInt(op, 'hidden', config.hidden);
    this.config = { ...config };
    const rng = createRng(seed);
    const u = randn(rng, [m, d]),
      c = randn(rng, [m, 1]);
    for (let i = 0; i < u.data.length; i++) u.data[i]! /= Math.sqrt(d);
    for (let i = 0; i < c.data.length; i++) c.data[i]! /= Math.sqrt(m);
    this.params = { W: initRecurrent(op, rng, m, config.initRadius ?? 0.9), U: u, c };
    if (bias) {
      this.params.b = zeros([m]);
      this.params.c0 = zeros([1]);
    }
  }

  /** One recurrence step: h (B, m), x_t (B, d) → new h (B, m). */
  protected abstract cell(h: Tensor | null, xt: Tensor, p: Params): Tensor;
  protected abstract readout(y: Tensor, p: Params): Tensor;

  /** x (B, τ, d) → y (B, τ), unrolled over all τ steps (BPTT through the tape). */
  forward(x: Tensor, params: Params = this.params): Tensor {
    checkInput(`${this.kind}.forward`, x, [undefined, undefined, this.config.d], 'x (B, τ, d)');
    const [B, T] = [x.shape[0]!, x.shape[1]!];
    if (T === 0) return { data: new Float64Array(0), shape: [B, 0] }; // no steps, no outputs (numpy-like)
    let h: Tensor | null = null;
    const hs: Tensor[] = [];
    for (const xt of steps(x)) {
      h = this.cell(h, xt, params);
      hs.push(h);
    }
    const H = reshape(stack(hs, 1), [B * T, this.config.hidden]); // τ × (B, m) → (B, τ, m) → (B·τ, m)
    const y = this.readout(matmul(H, param(this.kind, params, 'c')), params); // (B·τ, m)·(m, 1) → (B·τ, 1)
    return reshape(y, [B, T]); // (B·τ, 1) → (B, τ)
  }

  /** ρ(W) of the current (or given) recurrent matrix. */
  spectralRadius(params: Params = this.params): number {
    return spectralRadius(param(this.kind, params, 'W'));
  }
}

/**
 * Linear RNN `h(t) = W h(t−1) + U x(t)`, `y(t) = cᵀ h(t)`. Parameters `W` (m, m) initialised with
 * spectral radius `initRadius` (default 0.9, stable), `U` (m, d), `c` (m, 1).
 *
 * @example
 * ```ts
 * const rnn = new LinearRNN({ d: 1, hidden: 4 }, { seed: 0 });
 * rnn.spectralRadius(); // ≈ 0.9 (initRadius)
 * // y(t) = Σ_{s≤t} ρ̂(s) x(t−s): a unit impulse returns the kernel ρ̂(s) = cᵀ W^s U
 * Array.from(rnn.forward(tensor([[[1], [0], [0], [0]]])).data); // ≈ [1.0212, 0.2007, -0.7053, 0.1394]
 * Array.from(rnn.kernels(4).data);                               // ≈ [1.0212, 0.2007, -0.7053, 0.1394]
 * rnn.forward(zeros([8, 20, 1])).shape; // → [8, 20]: x (B, τ, d) → y (B, τ)
 * ```
 */
export class LinearRNN extends RNNBase {
  readonly kind = 'LinearRNN';
  constructor(config: RNNConfig, opts: { seed?: number } = {}) {
    super(config, opts.seed ?? 0, 'LinearRNN', false);
  }
  protected cell(h: Tensor | null, xt: Tensor, p: Params): Tensor {
    const ux = matmul(xt, param(this.kind, p, 'U'), { transB: true }); // (B, d)·(d, m) → (B, m)
    return h === null ? ux : add(matmul(h, param(this.kind, p, 'W'), { transB: true }), ux); // (B, m)·(m, m)
  }
  protected readout(y: Tensor): Tensor {
    return y;
  }

  /**
   * The kernel ρ̂(s) = cᵀ W^s U for s = 0..len−1 as a (len, d) tensor (row s is ρ̂(s) ∈ R^d), so
   * `forward(x)[b, t] = Σ_{s≤t} ρ̂(s)·x[b, t−s]`.
   */
  kernels(len: number, params: Params = this.params): Tensor {
    checkInt('LinearRNN.kernels', 'len', len, true);
    const W = param(this.kind, params, 'W').data,
      U = param(this.kind, params, 'U').data,
      c = param(this.kind, params, 'c').data;
    const m = this.config.hidden,
      d = this.config.d;
    const out = new Float64Array(len * d);
    let v = Float64Array.from(U); // W^s U, (m, d)
    for (let s = 0; s < len; s++) {
      for (let j = 0; j < d; j++) {
        let acc = 0;
        for (let i = 0; i < m; i++) acc += c[i]! * v[i * d + j]!;
        out[s * d + j] = acc;
      }
      const nv = new Float64Array(m * d);
      for (let i = 0; i < m; i++)
        for (let k = 0; k < m; k++) {
          const w = W[i * m + k]!;
          for (let j = 0; j < d; j++) nv[i * d + j]! += w * v[k * d + j]!;
        }
      v = nv;
    }
    return { data: out, shape: [len, d] };
  }

  /** ρ̂(s) = cᵀ W^s U ∈ R^d (a (d,) tensor). */
  kernel(s: number, params: Params = this.params): Tensor {
    checkInt('LinearRNN.kernel', 's', s, true);
    const k = this.kernels(s + 1, params);
    return { data: k.data.slice(s * this.config.d), shape: [this.config.d] };
  }
}

/**
 * tanh RNN `h(t) = tanh(W h(t−1) + U x(t) + b)`, `y(t) = cᵀ h(t) + c₀`; extra parameters `b` (m), `c0` (1).
 *
 * @example
 * ```ts
 * const rnn = new TanhRNN({ d: 2, hidden: 8 }, { seed: 0 });
 * Object.keys(rnn.params);             // → ['W', 'U', 'c', 'b', 'c0']
 * rnn.forward(zeros([3, 5, 2])).shape; // → [3, 5]
 * Array.from(rnn.forward(zeros([1, 3, 2])).data); // → [0, 0, 0]: b = c₀ = 0 at initialisation and tanh(0) = 0
 * ```
 */
export class TanhRNN extends RNNBase {
  readonly kind = 'TanhRNN';
  constructor(config: RNNConfig, opts: { seed?: number } = {}) {
    super(config, opts.seed ?? 0, 'TanhRNN', true);
  }
  protected cell(h: Tensor | null, xt: Tensor, p: Params): Tensor {
    const ux = add(matmul(xt, param(this.kind, p, 'U'), { transB: true }), param(this.kind, p, 'b')); // (B, m)
    return tanh(h === null ? ux : add(matmul(h, param(this.kind, p, 'W'), { transB: true }), ux));
  }
  protected readout(y: Tensor, p: Params): Tensor {
    return add(y, param(this.kind, p, 'c0'));
  }
}
