/**
 * The seqrate playground: pick a coupling target (α, rank, scale, τ) and see, live, its POD
 * spectrum, the bound curves of every variant (printed, proof, corrected) against m_h with the measured L¹ error of the
 * constructive model, and train a small Transformer in a Web Worker with a live loss curve.
 * Plots are drawn by the report's own SVG code (src/report/svg.ts).
 */
import { linePlot, type LineSeries } from '../../src/report/svg.js';
import { MHS, VARIANTS, boundCurves, constructiveL1, podSpectrum, type TargetChoice } from './model.js';
import type { TrainMessage, TrainRequest } from './protocol.js';

/** What the page shows, readable by tests and curious users (`window.playground`). */
interface PlaygroundState {
  target: TargetChoice;
  /** Number of times the target plots were redrawn. */
  renders: number;
  spectrum: { prescribed: number[]; numeric: number[] } | null;
  bounds: Record<string, number[]> | null;
  l1: { mean: number[]; lo: number[]; hi: number[] } | null;
  losses: number[];
  training: 'idle' | 'running' | 'done' | 'error';
  /** Loss-plot redraws made while the worker was still training. */
  liveDraws: number;
  message: string;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`playground: missing element #${id}`);
  return e as T;
};
const positive = (v: number): number | null => (Number.isFinite(v) && v > 0 ? v : null);

const state: PlaygroundState = {
  target: { alpha: 1.5, rank: 0, scale: 1, tau: 16 },
  renders: 0,
  spectrum: null,
  bounds: null,
  l1: null,
  losses: [],
  training: 'idle',
  liveDraws: 0,
  message: '',
};
(window as unknown as { playground: PlaygroundState }).playground = state;

function readTarget(): TargetChoice {
  return {
    alpha: Number($<HTMLInputElement>('alpha').value),
    rank: Number($<HTMLSelectElement>('rank').value),
    scale: 10 ** Number($<HTMLInputElement>('scale').value),
    tau: Number($<HTMLInputElement>('tau').value),
  };
}

function showValues(t: TargetChoice): void {
  $('alpha-value').textContent = t.alpha.toFixed(2);
  $('scale-value').textContent = t.scale.toPrecision(3);
  $('tau-value').textContent = String(t.tau);
}

function drawTarget(): void {
  const t = readTarget();
  showValues(t);
  state.target = t;
  const sp = podSpectrum(t);
  const bounds = boundCurves(t);
  const l1 = constructiveL1(t);
  state.spectrum = { prescribed: sp.prescribed, numeric: sp.numeric };
  state.bounds = bounds;
  state.l1 = l1;
  $('spectrum-plot').innerHTML = linePlot({
    kind: 'line',
    title: 'POD spectrum of ρ',
    xLabel: 'k',
    yLabel: 'σ_k',
    xScale: 'log',
    yScale: 'log',
    width: 400,
    height: 320,
    series: [
      { label: 'prescribed σ_k', x: sp.k, y: sp.prescribed.map(positive), marker: false, dash: true, color: 6 },
      { label: 'POD from ρ (quadrature + SVD)', x: sp.k, y: sp.numeric.map(positive), line: false, color: 0 },
    ],
  });
  const series: LineSeries[] = VARIANTS.map((v, i) => ({
    label: v, // short labels: the legend must fit a free corner of this 400 px plot
    x: MHS,
    y: bounds[v]!.map(positive),
    dash: true,
    marker: false,
    color: i + 1,
  }));
  series.push({
    label: 'L¹ error (95% CI)',
    x: MHS,
    y: l1.mean.map(positive),
    lo: l1.lo.map(positive),
    hi: l1.hi.map(positive),
    color: 0,
  });
  $('bound-plot').innerHTML = linePlot({
    kind: 'line',
    title: 'bound vs measured error',
    xLabel: 'm_h',
    yLabel: 'Σ_t |H_t − Ĥ_t|',
    xScale: 'log',
    yScale: 'log',
    width: 400,
    height: 320,
    series,
  });
  state.renders++;
}

function drawLoss(): void {
  const n = state.losses.length;
  if (n === 0) {
    $('loss-plot').innerHTML =
      '<p class="empty">Press “Train” to fit a Transformer to this target; its loss appears here step by step.</p>';
    return;
  }
  $('loss-plot').innerHTML = linePlot({
    kind: 'line',
    title: 'training loss (mini-batch MSE)',
    xLabel: 'step',
    yLabel: 'loss',
    xScale: 'linear',
    yScale: 'log',
    width: 400,
    height: 320,
    series: [
      {
        label: `Transformer, m_h = ${$<HTMLSelectElement>('train-mh').value}`,
        x: Array.from({ length: n }, (_, i) => i + 1),
        y: state.losses.map(positive),
        marker: false,
        color: 2,
      },
    ],
  });
}

let worker: Worker | null = null;
let pendingDraw = false;

function startTraining(): void {
  worker?.terminate();
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  state.losses = [];
  state.liveDraws = 0;
  state.training = 'running';
  $('train-status').textContent = 'training…';
  drawLoss();
  worker.onmessage = (e: MessageEvent<TrainMessage>): void => {
    const m = e.data;
    if (m.type === 'loss') {
      state.losses.push(m.loss);
      if (!pendingDraw) {
        pendingDraw = true;
        requestAnimationFrame(() => {
          pendingDraw = false;
          if (state.training === 'running') state.liveDraws++;
          drawLoss();
        });
      }
    } else if (m.type === 'done') {
      state.training = 'done';
      state.message = `${m.steps} steps, final full-batch loss ${m.finalLoss.toPrecision(3)} (${m.stopReason})`;
      $('train-status').textContent = state.message;
      drawLoss();
    } else {
      state.training = 'error';
      state.message = m.message;
      $('train-status').textContent = `error: ${m.message}`;
    }
  };
  const req: TrainRequest = {
    type: 'train',
    target: readTarget(),
    mh: Number($<HTMLSelectElement>('train-mh').value),
    steps: Number($<HTMLInputElement>('train-steps').value),
    seed: 1,
    lr: 1e-2,
  };
  worker.postMessage(req);
}

let timer = 0;
for (const id of ['alpha', 'rank', 'scale', 'tau']) {
  $(id).addEventListener('input', () => {
    showValues(readTarget());
    clearTimeout(timer);
    timer = window.setTimeout(drawTarget, 60);
  });
}
$('train').addEventListener('click', startTraining);
drawTarget();
drawLoss();
