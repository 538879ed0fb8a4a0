/**
 * Autodiff benchmark: forward+backward of (1) an MLP 1024×128 → 128 → 128 → 1 with MSE and
 * (2) one softmax-attention block (B=32, T=32, n=32, m_h=16, residual, 64-wide ReLU FFN, linear
 * readout, MSE) — seqrate's `valueAndGrad` (float64) against tfjs-core's CPU backend
 * `tf.variableGrads` (float32), interleaved in one process. Also measures seqrate's own forward pass
 * in the same rounds to check the target "backward ≤ 2× forward". Writes the "Autodiff" section
 * of bench/RESULTS.md.
 *
 * tfjs quirk: the CommonJS build of tfjs-core (what Node loads) registers no gradients, and the
 * ESM files that do (`dist/register_all_gradients.js`) use extension-less relative imports. A
 * one-line resolve hook adds `.js`, and the ESM copy shares the engine and the gradient registry
 * with the CommonJS one through `globalThis` — so `tf.variableGrads` works with tfjs's own rules.
 *
 * Run alone: `npx tsc -p tsconfig.bench.json && node .bench-build/bench/autodiff.js`.
 */
import { valueAndGrad } from '../src/linalg/autodiff/index.js';
import * as O from '../src/linalg/ops/index.js';
import { createRng } from '../src/linalg/random.js';
import { randn, type Tensor } from '../src/linalg/tensor.js';
import { compare, isMain, loadTfWithGradients, median, resultTable, writeSection, type Tf } from './harness.js';

type Params = Record<string, Tensor>;

function scaled(rng: ReturnType<typeof createRng>, shape: number[], s: number): Tensor {
  const t = randn(rng, shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! * s;
  return t;
}

// ---- workloads (the same math in both libraries) ----
interface Workload {
  readonly name: string;
  readonly params: Params;
  readonly loss: (p: Params) => Tensor;
  readonly tfLoss: (tf: Tf, v: Record<string, ReturnType<Tf['variable']>>) => ReturnType<Tf['scalar']>;
  readonly tfConst: Record<string, Tensor>;
}

function mlpWorkload(seed: number): Workload {
  const rng = createRng(seed);
  const x = randn(rng, [1024, 128]),
    y = randn(rng, [1024, 1]);
  const params: Params = {
    w1: scaled(rng, [128, 128], 1 / Math.sqrt(128)),
    b1: scaled(rng, [128], 0.1),
    w2: scaled(rng, [128, 128], 1 / Math.sqrt(128)),
    b2: scaled(rng, [128], 0.1),
    w3: scaled(rng, [128, 1], 1 / Math.sqrt(128)),
    b3: scaled(rng, [1], 0.1),
  };
  const loss = (p: Params): Tensor => {
    const h1 = O.relu(O.add(O.matmul(x, p.w1!), p.b1!));
    const h2 = O.relu(O.add(O.matmul(h1, p.w2!), p.b2!));
    return O.mse(O.add(O.matmul(h2, p.w3!), p.b3!), y);
  };
  return {
    name: 'MLP 1024×128 → 128 → 128 → 1 (ReLU, MSE)',
    params,
    loss,
    tfConst: { x, y },
    tfLoss: (tf, v) => {
      const [X, Y] = [v.x!, v.y!];
      const h1 = tf.relu(tf.add(tf.matMul(X, v.w1!), v.b1!));
      const h2 = tf.relu(tf.add(tf.matMul(h1, v.w2!), v.b2!));
      return tf.mean(tf.square(tf.sub(tf.add(tf.matMul(h2, v.w3!), v.b3!), Y))) as ReturnType<Tf['scalar']>;
    },
  };
}

function attentionWorkload(seed: number): Workload {
  const B = 32,
    T = 32,
    n = 32,
    mh = 16,
    ff = 64;
  const rng = createRng(seed);
  const x = randn(rng, [B, T, n]),
    y = randn(rng, [B, T, 1]);
  const params: Params = {
    wq: scaled(rng, [n, mh], 1 / Math.sqrt(n)),
    wk: scaled(rng, [n, mh], 1 / Math.sqrt(n)),
    wv: scaled(rng, [n, n], 1 / Math.sqrt(n)),
    w1: scaled(rng, [n, ff], 1 / Math.sqrt(n)),
    b1: scaled(rng, [ff], 0.1),
    w2: scaled(rng, [ff, n], 1 / Math.sqrt(ff)),
    b2: scaled(rng, [n], 0.1),
    wo: scaled(rng, [n, 1], 1 / Math.sqrt(n)),
  };
  const scale = 1 / Math.sqrt(mh);
  const loss = (p: Params): Tensor => {
    const q = O.matmul(x, p.wq!),
      k = O.matmul(x, p.wk!),
      v = O.matmul(x, p.wv!); // (B,T,mh),(B,T,mh),(B,T,n)
    const a = O.softmax(O.mul(O.matmul(q, k, { transB: true }), scale), -1); // (B,T,T)
    const h = O.add(x, O.matmul(a, v)); // (B,T,n)
    const f = O.add(h, O.add(O.matmul(O.relu(O.add(O.matmul(h, p.w1!), p.b1!)), p.w2!), p.b2!)); // (B,T,n)
    return O.mse(O.matmul(f, p.wo!), y); // (B,T,1)
  };
  return {
    name: `attention block B=${B} T=${T} n=${n} m_h=${mh} + FFN ${ff} (MSE)`,
    params,
    loss,
    tfConst: { x, y },
    tfLoss: (tf, vv) => {
      const X2 = tf.reshape(vv.x!, [B * T, n]);
      const q = tf.reshape(tf.matMul(X2, vv.wq!), [B, T, mh]),
        k = tf.reshape(tf.matMul(X2, vv.wk!), [B, T, mh]);
      const v = tf.reshape(tf.matMul(X2, vv.wv!), [B, T, n]);
      const a = tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale));
      const h = tf.reshape(tf.add(vv.x!, tf.matMul(a, v)), [B * T, n]);
      const f = tf.add(h, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(h, vv.w1!), vv.b1!)), vv.w2!), vv.b2!));
      return tf.mean(tf.square(tf.sub(tf.matMul(f, vv.wo!), tf.reshape(vv.y!, [B * T, 1])))) as ReturnType<
        Tf['scalar']
      >;
    },
  };
}

/** tfjs variables for the parameters and constants for the data; the fwd+bwd and fwd closures. */
function tfContenders(
  tf: Tf,
  w: Workload,
): { fb: () => void; fwd: () => void; grads: () => Record<string, Float32Array> } {
  const toTf = (t: Tensor) => tf.tensor(Float32Array.from(t.data), [...t.shape]);
  const vars: Record<string, ReturnType<Tf['variable']>> = {};
  for (const [k, t] of Object.entries(w.params)) vars[k] = tf.variable(toTf(t), true, `${w.name}/${k}`);
  for (const [k, t] of Object.entries(w.tfConst)) vars[k] = tf.variable(toTf(t), false, `${w.name}/${k}`);
  const trainable = Object.keys(w.params).map((k) => vars[k]!);
  return {
    fb: () =>
      tf.tidy(() => {
        tf.variableGrads(() => w.tfLoss(tf, vars), trainable);
      }),
    fwd: () =>
      tf.tidy(() => {
        w.tfLoss(tf, vars).dataSync();
      }),
    grads: () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => w.tfLoss(tf, vars), trainable);
        return Object.fromEntries(
          Object.keys(w.params).map((k) => [k, grads[`${w.name}/${k}`]!.dataSync() as Float32Array]),
        );
      }),
  };
}

/** Max over parameters of ‖g_seqrate − g_tfjs‖∞ / ‖g_seqrate‖∞ (float32 peer: expect ~1e-6). */
function agreement(ours: Params, theirs: Record<string, Float32Array>): number {
  let worst = 0;
  for (const [k, g] of Object.entries(ours)) {
    const t = theirs[k]!;
    let num = 0,
      den = 0;
    for (let i = 0; i < g.data.length; i++) {
      num = Math.max(num, Math.abs(g.data[i]! - t[i]!));
      den = Math.max(den, Math.abs(g.data[i]!));
    }
    worst = Math.max(worst, num / den);
  }
  return worst;
}

export async function main(): Promise<void> {
  const tf = await loadTfWithGradients();
  const workloads = [mlpWorkload(1), attentionWorkload(2)];
  const notes: string[] = [];
  const cases = workloads.map((w) => {
    const vg = valueAndGrad(w.loss);
    const peer = tf === null ? null : tfContenders(tf, w);
    if (peer !== null) {
      const err = agreement(vg(w.params).grads, peer.grads());
      notes.push(
        `${w.name}: gradients agree with tfjs (float32) to ${err.toExponential(1)} relative (max over parameters of ‖Δg‖∞/‖g‖∞).`,
      );
    }
    return {
      name: w.name,
      contenders: {
        seqrate: () => vg(w.params),
        'seqrate fwd': () => w.loss(w.params),
        'tfjs-cpu': peer?.fb ?? null,
        'tfjs-cpu fwd': peer?.fwd ?? null,
      },
    };
  });
  const res = await compare({ title: 'Autodiff', cases });
  for (const c of res.cases) {
    const fbOverF = 1 / c.speedup['seqrate fwd']!;
    notes.push(
      `${c.name}: seqrate backward / forward = ${(fbOverF - 1).toFixed(2)} (target ≤ 2; fwd+bwd ${c.medianMs.seqrate!.toFixed(2)} ms, fwd ${c.medianMs['seqrate fwd']!.toFixed(2)} ms); ` +
        `tfjs backward / forward = ${(c.medianMs['tfjs-cpu']! / c.medianMs['tfjs-cpu fwd']! - 1).toFixed(2)}.`,
    );
  }
  notes.push(
    'Columns: `seqrate` and `tfjs-cpu` are one forward+backward (value and all parameter gradients); the `fwd` columns are the forward loss alone. ' +
      '"seqrate vs X" = time(X) / time(seqrate fwd+bwd): for tfjs-cpu > 1 means seqrate is faster (target ≥ 3 on the attention block). seqrate runs in float64, tfjs-cpu in float32 (its only dtype).',
  );
  const table = resultTable(res, {
    notes,
    labels: { 'tfjs-cpu': 'tfjs-cpu (f32)', 'tfjs-cpu fwd': 'tfjs-cpu fwd (f32)' },
  });
  writeSection('Autodiff', table);
  console.log(table);
  void median;
}

if (isMain(import.meta.url)) await main();
