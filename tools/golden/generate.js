#!/usr/bin/env node
// Golden-fixture generator for jkeras.
//
// Oracle: @tensorflow/tfjs 4.22.0, pure-JS CPU backend (NOT tfjs-node), plus
// explicit formulas built from tf ops where tfjs disagrees with Keras 2
// (see /work/shared/TFJS-ORACLE-NOTES.md and README.md next to this file).
//
// Usage:  cd tools/golden && npm ci && node generate.js
// Writes: java/src/test/resources/golden/{layers,ops,conv,pooling,reshaping,recurrent,merge,
//         activation,normalization,noise,attention}/<case>.json
//
// Everything is deterministic: every case gets its own PRNG (mulberry32) seeded
// with a hash of the case name, so adding/removing a case never changes others.
'use strict';

const fs = require('fs');
const path = require('path');

const tf = require('@tensorflow/tfjs');

const OUT_ROOT = path.resolve(__dirname, '..', '..', 'java', 'src', 'test', 'resources', 'golden');
const FAMILIES = ['layers', 'ops', 'conv', 'pooling', 'reshaping', 'recurrent', 'merge', 'activation', 'normalization', 'noise', 'attention'];
const t0 = Date.now();

// ---------------------------------------------------------------------------
// PRNG + value helpers
// ---------------------------------------------------------------------------
function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) { h ^= str.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return h >>> 0;
}
function rngFor(family, name) { return mulberry32(fnv1a(family + '/' + name)); }

const prod = (s) => s.reduce((a, b) => a * b, 1);
// Every value we hand to tfjs is float32, and is written with 9 significant digits,
// so Java parsing the JSON as float gets bit-identical inputs.
const f32 = (x) => Math.fround(x);
function uniform(rng, shape, lo = -2, hi = 2) {
  const n = prod(shape); const data = new Array(n);
  for (let i = 0; i < n; i++) data[i] = f32(lo + (hi - lo) * rng());
  return { shape: shape.slice(), data };
}
function shuffle(rng, arr) {
  for (let i = arr.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [arr[i], arr[j]] = [arr[j], arr[i]]; }
  return arr;
}
// Activation inputs: span [-3,3]; include values 0.03 either side of every kink used by
// the activations here (0 for relu/elu/abs, 0.5 and 2.0 for parametrised relu, +-2.5 for
// hard_sigmoid), never exactly on one; the rest uniform in [-3,3] at least 0.02 off a kink.
const KINKS = [-2.5, 0, 0.5, 2.0, 2.5];
function activationInput(rng, shape) {
  const n = prod(shape); const vals = [];
  for (const k of KINKS) { vals.push(k - 0.03, k + 0.03); }
  if (vals.length > n) throw new Error('activation input too small');
  while (vals.length < n) {
    const v = -3 + 6 * rng();
    if (KINKS.every((k) => Math.abs(v - k) > 0.02)) vals.push(v);
  }
  return { shape: shape.slice(), data: shuffle(rng, vals).map(f32) };
}
// Distinct values (pairwise gap >= ~2/n) in [lo,hi], random order: no ties for max.
function distinct(rng, shape, lo = -2, hi = 2) {
  const n = prod(shape); const step = (hi - lo) / n;
  const perm = shuffle(rng, Array.from({ length: n }, (_, i) => i));
  return { shape: shape.slice(), data: perm.map((p) => f32(lo + (p + 0.5 + 0.5 * (rng() - 0.5)) * step)) };
}
// Uniform with magnitude in [lo,hi] and random sign (denominators away from 0).
function signedMagnitude(rng, shape, lo, hi) {
  const n = prod(shape); const data = new Array(n);
  for (let i = 0; i < n; i++) { const m = lo + (hi - lo) * rng(); data[i] = f32(rng() < 0.5 ? -m : m); }
  return { shape: shape.slice(), data };
}
const T = (v) => tf.tensor(Float32Array.from(v.data), v.shape, 'float32');

// ---------------------------------------------------------------------------
// Output / validation helpers
// ---------------------------------------------------------------------------
function num(x, where) {
  if (!Number.isFinite(x)) throw new Error(`non-finite value ${x} in ${where}`);
  return Number(Number(x).toPrecision(9));
}
function tensorJSON(t, where) {
  const data = Array.from(t.dataSync()).map((x) => num(x, where));
  return { shape: t.shape.slice(), data };
}
function valueJSON(v, where) { return { shape: v.shape.slice(), data: v.data.map((x) => num(x, where)) }; }

const written = [];
function writeCase(family, name, obj) {
  const dir = path.join(OUT_ROOT, family);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name + '.json');
  if (written.includes(file)) throw new Error('duplicate case name ' + family + '/' + name);
  fs.writeFileSync(file, JSON.stringify(obj) + '\n');
  written.push(file);
}
function maxAbsDiff(a, b) {
  if (JSON.stringify(a.shape) !== JSON.stringify(b.shape)) return Infinity;
  const x = a.dataSync(), y = b.dataSync(); let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}
function assertClose(a, b, what, tol = 1e-5) {
  const d = maxAbsDiff(a, b);
  if (!(d <= tol)) throw new Error(`cross-check failed for ${what}: max |diff| = ${d}`);
}

// ---------------------------------------------------------------------------
// Keras-2 semantics of activations / ops, expressed with tf ops so that the
// gradients come from tf autodiff.
// ---------------------------------------------------------------------------
const ACT = {
  relu: (x) => tf.relu(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  hard_sigmoid: (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
  exponential: (x) => tf.exp(x),
  linear: (x) => tf.mul(x, 1),
  softmax: (x) => tf.softmax(x, -1),
};
// Keras 2 backend relu(x, alpha, max_value, threshold):
//   x >= max_value -> max_value; threshold <= x < max_value -> x; x < threshold -> alpha*(x-threshold)
// Branch conditions are computed on a detached copy (tfjs has no gradient for comparisons).
const detached = (x) => tf.tensor(x.dataSync(), x.shape, x.dtype);
function kerasRelu(x, alpha, maxValue, threshold) {
  const lin = tf.where(tf.greaterEqual(detached(x), threshold), x, tf.mul(tf.sub(x, threshold), alpha));
  return maxValue == null ? lin : tf.where(tf.greaterEqual(detached(x), maxValue), tf.fill(x.shape, maxValue), lin);
}
// Keras 2 elu with any alpha (tfjs refuses alpha != 1).
const kerasElu = (x, alpha) => tf.where(tf.greater(detached(x), 0), x, tf.mul(tf.sub(tf.exp(x), 1), alpha));
// softmax on an arbitrary axis: move the axis last, softmax, move back (tfjs refuses non-last axes).
function softmaxAxis(x, axis) {
  const r = x.rank; const ax = axis < 0 ? axis + r : axis;
  if (ax === r - 1) return tf.softmax(x, -1);
  const perm = Array.from({ length: r }, (_, i) => i).filter((i) => i !== ax).concat([ax]);
  const inv = new Array(r); perm.forEach((p, i) => { inv[p] = i; });
  return tf.transpose(tf.softmax(tf.transpose(x, perm), -1), inv);
}

// ---------------------------------------------------------------------------
// Op cases
// ---------------------------------------------------------------------------
function opCase(name, op, args, inputs, fn, opts = {}) {
  const rng = rngFor('ops', name);
  const vals = typeof inputs === 'function' ? inputs(rng) : inputs;
  tf.tidy(() => {
    const xs = vals.map(T);
    const y = fn(...xs);
    const upstream = uniform(rng, y.shape);
    const up = T(upstream);
    const lossFn = opts.gradFn || fn;
    const grads = tf.grads((...a) => tf.sum(tf.mul(lossFn(...a), up)))(xs);
    if (opts.gradFn) assertClose(opts.gradFn(...xs), y, 'ops/' + name + ' gradFn forward');
    if (opts.gradFn && opts.nativeGradsOk) {
      // tfjs's own gradient is trusted for this op: it must agree with the explicit form.
      const native = tf.grads((...a) => tf.sum(tf.mul(fn(...a), up)))(xs);
      native.forEach((g, i) => assertClose(g, grads[i], 'ops/' + name + ' native vs explicit-broadcast gradient'));
    }
    writeCase('ops', name, {
      kind: 'op', name, op, args,
      inputs: vals.map((v) => valueJSON(v, name + ' inputs')),
      outputs: [tensorJSON(y, name + ' outputs')],
      upstream: [valueJSON(upstream, name + ' upstream')],
      grad_inputs: grads.map((g) => tensorJSON(g, name + ' grad_inputs')),
    });
  });
}

function genOps() {
  // --- activations, 3x5 input spanning [-3,3] -----------------------------
  const act35 = (rng) => [activationInput(rng, [3, 5])];
  opCase('relu', 'relu', {}, act35, ACT.relu);
  opCase('relu_alpha_maxvalue_threshold', 'relu', { alpha: 0.1, max_value: 2.0, threshold: 0.5 }, act35,
    (x) => kerasRelu(x, 0.1, 2.0, 0.5));
  opCase('elu_alpha1', 'elu', { alpha: 1.0 }, act35, (x) => {
    const y = tf.elu(x); assertClose(y, kerasElu(x, 1.0), 'tf.elu vs formula'); return y;
  });
  opCase('elu_alpha0_5', 'elu', { alpha: 0.5 }, act35, (x) => kerasElu(x, 0.5));
  for (const a of ['selu', 'softplus', 'softsign', 'tanh', 'sigmoid', 'hard_sigmoid', 'exponential', 'linear']) {
    opCase(a, a, {}, act35, ACT[a]);
  }
  opCase('softmax_axis_neg1_3x5', 'softmax', { axis: -1 }, (rng) => [uniform(rng, [3, 5], -3, 3)], (x) => tf.softmax(x, -1));
  opCase('softmax_axis1_2x3x4', 'softmax', { axis: 1 }, (rng) => [uniform(rng, [2, 3, 4], -3, 3)], (x) => softmaxAxis(x, 1));
  opCase('softmax_axis0_4x3', 'softmax', { axis: 0 }, (rng) => [uniform(rng, [4, 3], -3, 3)], (x) => softmaxAxis(x, 0));

  // --- matmul ------------------------------------------------------------
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    const name = 'matmul_2d' + (ta ? '_ta' : '') + (tb ? '_tb' : '');
    const sa = ta ? [4, 3] : [3, 4], sb = tb ? [5, 4] : [4, 5];
    opCase(name, 'matmul', { transpose_a: ta, transpose_b: tb }, (rng) => [uniform(rng, sa), uniform(rng, sb)],
      (a, b) => tf.matMul(a, b, ta, tb));
  }
  opCase('matmul_batched', 'matmul', { transpose_a: false, transpose_b: false },
    (rng) => [uniform(rng, [2, 3, 4]), uniform(rng, [2, 4, 5])], (a, b) => tf.matMul(a, b));
  // tfjs 4.22: forward of broadcast batch matmul is fine but its gradient w.r.t. the
  // broadcast operand has the wrong shape (throws). Gradient via explicit broadcastTo.
  opCase('matmul_broadcast_batch', 'matmul', { transpose_a: false, transpose_b: false },
    (rng) => [uniform(rng, [2, 3, 4]), uniform(rng, [4, 5])], (a, b) => tf.matMul(a, b),
    { gradFn: (a, b) => tf.matMul(a, tf.broadcastTo(tf.expandDims(b, 0), [a.shape[0], 4, 5])) });

  // --- broadcasting binary ops -------------------------------------------
  const shapes = [['bcast_2x3x4_4', [2, 3, 4], [4]], ['bcast_2x1x4_3x1', [2, 1, 4], [3, 1]], ['same_3x4', [3, 4], [3, 4]]];
  const noTies = (rng, sa, sb) => {
    for (;;) {
      const a = uniform(rng, sa), b = uniform(rng, sb);
      const d = tf.tidy(() => tf.min(tf.abs(tf.sub(T(a), T(b)))).dataSync()[0]);
      if (d > 0.02) return [a, b];
    }
  };
  const bin = {
    add: [(a, b) => tf.add(a, b), (rng, sa, sb) => [uniform(rng, sa), uniform(rng, sb)]],
    subtract: [(a, b) => tf.sub(a, b), (rng, sa, sb) => [uniform(rng, sa), uniform(rng, sb)]],
    multiply: [(a, b) => tf.mul(a, b), (rng, sa, sb) => [uniform(rng, sa), uniform(rng, sb)]],
    divide: [(a, b) => tf.div(a, b), (rng, sa, sb) => [uniform(rng, sa), signedMagnitude(rng, sb, 0.5, 2)]],
    maximum: [(a, b) => tf.maximum(a, b), noTies],
    minimum: [(a, b) => tf.minimum(a, b), noTies],
  };
  // Gradients are taken through explicit tf.broadcastTo of both operands to the output
  // shape: tfjs 4.22's Maximum/Minimum gradients do not reduce over broadcast dimensions
  // (they throw). For add/subtract/multiply/divide tfjs's native gradient is also computed
  // and must agree.
  const bcast = (fn) => (a, b) => {
    const s = tf.broadcastArgs(tf.tensor1d(a.shape, 'int32'), tf.tensor1d(b.shape, 'int32')).arraySync();
    return fn(tf.broadcastTo(a, s), tf.broadcastTo(b, s));
  };
  for (const [op, [fn, gen]] of Object.entries(bin)) {
    for (const [suffix, sa, sb] of shapes) {
      opCase(op + '_' + suffix, op, {}, (rng) => gen(rng, sa, sb), fn,
        { gradFn: bcast(fn), nativeGradsOk: op !== 'maximum' && op !== 'minimum' });
    }
  }

  // --- reductions ----------------------------------------------------------
  const reds = [['axis1', [1], false], ['axis0_2', [0, 2], false], ['axis_neg1_keepdims', [-1], true], ['all', null, false]];
  const redFns = { sum: tf.sum, mean: tf.mean, max: tf.max };
  for (const [op, f] of Object.entries(redFns)) {
    for (const [suffix, axis, keepdims] of reds) {
      opCase(op + '_' + suffix, op, { axis, keepdims },
        (rng) => [op === 'max' ? distinct(rng, [2, 3, 4]) : uniform(rng, [2, 3, 4])],
        (x) => f(x, axis == null ? null : axis, keepdims));
    }
  }

  // --- shape ops -----------------------------------------------------------
  opCase('transpose_2_0_1', 'transpose', { perm: [2, 0, 1] }, (rng) => [uniform(rng, [2, 3, 4])], (x) => tf.transpose(x, [2, 0, 1]));
  opCase('reshape_4_neg1', 'reshape', { shape: [4, -1] }, (rng) => [uniform(rng, [2, 3, 4])], (x) => tf.reshape(x, [4, -1]));
  opCase('concat_axis1', 'concat', { axis: 1 }, (rng) => [uniform(rng, [2, 3]), uniform(rng, [2, 5])], (a, b) => tf.concat([a, b], 1));
  opCase('concat_axis0_three', 'concat', { axis: 0 }, (rng) => [uniform(rng, [1, 4]), uniform(rng, [2, 4]), uniform(rng, [3, 4])],
    (a, b, c) => tf.concat([a, b, c], 0));
  opCase('slice_0_1_1_size_2_2_neg1', 'slice', { begin: [0, 1, 1], size: [2, 2, -1] }, (rng) => [uniform(rng, [2, 3, 4])],
    (x) => tf.slice(x, [0, 1, 1], [2, 2, -1]));
  opCase('stack_axis1', 'stack', { axis: 1 }, (rng) => [uniform(rng, [2, 3]), uniform(rng, [2, 3]), uniform(rng, [2, 3])],
    (a, b, c) => tf.stack([a, b, c], 1));
  opCase('bias_add', 'bias_add', {}, (rng) => [uniform(rng, [2, 3, 4]), uniform(rng, [4])], (x, b) => tf.add(x, b));

  // --- elementwise ---------------------------------------------------------
  const pos = (rng) => [uniform(rng, [3, 4], 0.25, 2)];
  const awayFromZero = (rng) => [signedMagnitude(rng, [3, 4], 0.05, 2)];
  opCase('log', 'log', {}, pos, tf.log);
  opCase('sqrt', 'sqrt', {}, pos, tf.sqrt);
  opCase('exp', 'exp', {}, (rng) => [uniform(rng, [3, 4])], tf.exp);
  opCase('square', 'square', {}, (rng) => [uniform(rng, [3, 4])], tf.square);
  opCase('abs', 'abs', {}, awayFromZero, tf.abs);
  opCase('negative', 'negative', {}, (rng) => [uniform(rng, [3, 4])], tf.neg);
}

// ---------------------------------------------------------------------------
// Layer cases
// ---------------------------------------------------------------------------
function oneLayerModelJSON(className, config, inputShape) {
  return {
    class_name: 'Model',
    config: {
      name: 'model_1',
      layers: [
        { class_name: 'InputLayer', name: 'input_1', inbound_nodes: [],
          config: { batch_input_shape: [null, ...inputShape.slice(1)], dtype: 'float32', sparse: false, name: 'input_1' } },
        { class_name: className, name: config.name, config, inbound_nodes: [[['input_1', 0, 0, {}]]] },
      ],
      input_layers: [['input_1', 0, 0]],
      output_layers: [[config.name, 0, 0]],
    },
    keras_version: '2.2.4',
    backend: 'tensorflow',
  };
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(a));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return deepEqual(ka, kb) && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
// Known, harmless serialisation differences of tfjs (value-equivalent).
function normaliseTfjs(className, key, value) {
  // tfjs stores Reshape's unknown dimension as null; Keras writes -1.
  if (className === 'Reshape' && key === 'target_shape') return value.map((d) => (d == null ? -1 : d));
  return value;
}
// Compare the config tfjs actually built with the one requested; throw if tfjs
// dropped or changed any option.
//   A requested key that tfjs does not serialise is accepted only if (a) the built layer
//   has the matching camelCase property with the requested value (tfjs honours the option
//   but does not write it, e.g. Conv1D data_format), or (b) it is listed in tfjsDefaults
//   with exactly the requested value (tfjs has no such option and implements that value,
//   e.g. Conv2DTranspose output_padding: null, Pooling1D data_format: 'channels_last').
//   A key tfjs writes that Keras 2 does not is accepted only if listed in tfjsExtra with
//   exactly the value tfjs wrote.
const camel = (k) => k.replace(/_(\w)/g, (m, c) => c.toUpperCase());
const snakeValue = (v) => (typeof v === 'string' ? v.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()) : v);
function verifyConfig(caseName, className, requested, built, layer = null, tfjsDefaults = {}, tfjsExtra = {}) {
  const problems = [];
  for (const [k, v] of Object.entries(requested)) {
    if (!(k in built)) {
      const prop = layer ? layer[camel(k)] : undefined;
      if (prop !== undefined) {
        if (!deepEqual(v, snakeValue(prop))) problems.push(`key '${k}' not serialised by tfjs, and the layer has ${camel(k)}=${JSON.stringify(prop)}, not ${JSON.stringify(v)}`);
      } else if (!(k in tfjsDefaults)) {
        problems.push(`key '${k}' dropped by tfjs`);
      } else if (!deepEqual(v, tfjsDefaults[k])) {
        problems.push(`key '${k}' dropped by tfjs, which only implements ${JSON.stringify(tfjsDefaults[k])}; requested ${JSON.stringify(v)}`);
      }
      continue;
    }
    const b = normaliseTfjs(className, k, built[k]);
    if (!deepEqual(v, b)) problems.push(`key '${k}': requested ${JSON.stringify(v)}, tfjs built ${JSON.stringify(built[k])}`);
  }
  const extra = Object.keys(built).filter((k) => !(k in requested) && !(k in tfjsExtra && deepEqual(built[k], tfjsExtra[k])));
  if (extra.length) problems.push(`tfjs has keys not in the Keras config: ${extra.join(', ')} (add them to the fixture config if Keras 2 writes them)`);
  if (problems.length) throw new Error(`config mismatch in ${caseName} (${className}):\n  ` + problems.join('\n  '));
}

const KERAS_GLOROT_UNIFORM = { class_name: 'VarianceScaling', config: { scale: 1.0, mode: 'fan_avg', distribution: 'uniform', seed: null } };
const KERAS_ZEROS = { class_name: 'Zeros', config: {} };
function denseConfig(name, units, activation, useBias) {
  return {
    name, trainable: true, units, activation, use_bias: useBias,
    kernel_initializer: KERAS_GLOROT_UNIFORM, bias_initializer: KERAS_ZEROS,
    kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null,
    kernel_constraint: null, bias_constraint: null,
  };
}

/**
 * opts.family       -> fixture family (directory); default 'layers'. Also part of the seed.
 * opts.input(rng)   -> input value (default uniform [-2,2] of inputShape)
 * opts.reference(x, weights) -> tensor computed from the Keras formula with tf ops. If given, it is
 *                     compared with tfjs (must agree) unless opts.formulaOnly, in which case
 *                     tfjs is not used at all (layer config tfjs cannot build), or
 *                     opts.useReference, in which case tfjs builds the layer (its config is
 *                     checked, its weight shapes are used) but its values are wrong, so the
 *                     forward pass and the gradients come from the reference.
 * opts.gradFromReference -> take gradients through opts.reference instead of the tfjs layer
 *                     (forward still comes from tfjs and is checked against the reference).
 * opts.tfjsConfig   -> build the tfjs layer from this config instead (e.g. padding 'valid'
 *                     for a 'causal' case that tfjs refuses); that config is verified instead.
 * opts.tfjsDefaults, opts.tfjsExtra -> see verifyConfig.
 * opts.weightShapes -> weight shapes when tfjs does not build the layer (checked against tfjs
 *                     when it does).
 * opts.naive(x, weights, upstream) -> {y, gx, gw} from independent float64 loops; the written
 *                     outputs and gradients must agree with it (relative 1e-4).
 * opts.tol          -> tolerance of the tfjs-vs-reference comparison (default 1e-5).
 * opts.outputMask   -> also record layer.computeMask(x) as "output_mask".
 */
const DIAG = !!process.env.GOLDEN_DIAG;
async function layerCase(name, className, config, inputShape, opts = {}) {
  const family = opts.family || 'layers';
  const where = family + '/' + name;
  const rng = rngFor(family, name);
  const xv = opts.input ? opts.input(rng) : uniform(rng, inputShape);
  let layer = null;
  if (!opts.formulaOnly) {
    const buildConfig = opts.tfjsConfig || config;
    const model = await tf.models.modelFromJSON(oneLayerModelJSON(className, buildConfig, inputShape));
    layer = model.layers[1];
    const builtJSON = model.toJSON(null, false).config.layers[1];
    if (builtJSON.class_name !== className) throw new Error(`${where}: tfjs built ${builtJSON.class_name}`);
    verifyConfig(where, className, buildConfig, builtJSON.config, layer, opts.tfjsDefaults, opts.tfjsExtra);
  } else if (!opts.reference) {
    throw new Error(where + ': formulaOnly needs a reference');
  }
  // Weights: explicit seeded random values (uniform [-1,1]) so biases are non-zero.
  const weightShapes = layer ? layer.getWeights().map((w) => w.shape) : (opts.weightShapes || []);
  if (layer && opts.weightShapes && JSON.stringify(opts.weightShapes) !== JSON.stringify(weightShapes)) {
    throw new Error(`${where}: tfjs weight shapes ${JSON.stringify(weightShapes)} != expected ${JSON.stringify(opts.weightShapes)}`);
  }
  const weights = weightShapes.map((s) => uniform(rng, s, -1, 1));
  if (layer && weights.length) layer.setWeights(weights.map(T));
  if (layer && layer.nonTrainableWeights.length) throw new Error('non-trainable weights not handled');
  const useRef = !layer || !!opts.useReference;

  const record = { kind: 'layer', name, config: { class_name: className, config } };
  tf.tidy(() => {
    const xVar = tf.variable(T(xv), true, `x_${family}_${name}`);
    const wVars = layer ? layer.trainableWeights.map((w) => w.read()) : weights.map((w, i) => tf.variable(T(w), true, `w${i}_${family}_${name}`));
    const tfjsForward = () => layer.apply(xVar, { training: false });
    const refForward = () => opts.reference(xVar, wVars);
    const forward = useRef ? refForward : tfjsForward;
    const y = forward();
    if (layer && opts.reference && !useRef) assertClose(y, refForward(), `${where} tfjs vs formula`, opts.tol);
    const upstream = uniform(rng, y.shape);
    const up = T(upstream);
    const gradForward = (opts.gradFromReference || useRef) ? refForward : forward;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(gradForward(), up)), [xVar, ...wVars]);
    const g = (v) => grads[v.name];
    if (DIAG && layer && (useRef || opts.gradFromReference)) diagnoseTfjs(where, tfjsForward, y, up, xVar, wVars, g);
    if (opts.naive) {
      const n = opts.naive(xv, weights, upstream);
      assertCloseValues(y, n.y, where + ' outputs vs float64 loops');
      assertCloseValues(g(xVar), n.gx, where + ' grad_inputs vs float64 loops');
      if (n.gw.length !== wVars.length) throw new Error(where + ': naive weight-gradient count');
      wVars.forEach((w, i) => assertCloseValues(g(w), n.gw[i], `${where} grad_weights[${i}] vs float64 loops`));
    }
    Object.assign(record, {
      inputs: [valueJSON(xv, name + ' inputs')],
      weights: weights.map((w) => valueJSON(w, name + ' weights')),
      outputs: [tensorJSON(y, name + ' outputs')],
    });
    if (opts.outputMask) {
      const m = layer.computeMask(xVar);
      record.output_mask = m.arraySync().map(function toBool(v) { return Array.isArray(v) ? v.map(toBool) : Boolean(v); });
    }
    Object.assign(record, {
      upstream: [valueJSON(upstream, name + ' upstream')],
      grad_inputs: [tensorJSON(g(xVar), name + ' grad_inputs')],
      grad_weights: wVars.map((w) => tensorJSON(g(w), name + ' grad_weights')),
    });
    tf.dispose(xVar);
    if (!layer) tf.dispose(wVars);
  });
  writeCase(family, name, record);
}

// GOLDEN_DIAG=1: for cases whose values do not come from the tfjs layer, print how far the
// tfjs layer's own forward pass and gradients are from the written reference.
function diagnoseTfjs(where, tfjsForward, y, up, xVar, wVars, g) {
  let msg;
  try {
    const yt = tfjsForward();
    const dy = maxAbsDiff(yt, y);
    let gmsg = '';
    if (dy !== Infinity) {
      try {
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tfjsForward(), up)), [xVar, ...wVars]);
        const gd = [xVar, ...wVars].map((v) => maxAbsDiff(grads[v.name], g(v)).toExponential(2));
        gmsg = ` grads max|diff| [x, w...] = ${gd.join(', ')}`;
      } catch (e) { gmsg = ' tfjs gradient throws: ' + e.message.split('\n')[0]; }
    }
    msg = `forward max|diff| = ${dy === Infinity ? 'shape ' + JSON.stringify(yt.shape) + ' vs ' + JSON.stringify(y.shape) : dy.toExponential(2)};${gmsg}`;
  } catch (e) { msg = 'tfjs throws: ' + e.message.split('\n')[0]; }
  console.error(`DIAG ${where}: tfjs layer vs reference: ${msg}`);
}

async function genLayers() {
  // --- Dense --------------------------------------------------------------
  const denseRef = (act) => (x, [k, b]) => {
    let y = tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]), k);
    if (b) y = tf.add(y, b);
    y = tf.reshape(y, [...x.shape.slice(0, -1), k.shape[1]]);
    return ACT[act](y);
  };
  await layerCase('dense_relu_2d', 'Dense', denseConfig('dense_1', 7, 'relu', true), [2, 5], { reference: denseRef('relu') });
  await layerCase('dense_linear_3d', 'Dense', denseConfig('dense_2', 4, 'linear', true), [2, 3, 5], { reference: denseRef('linear') });
  await layerCase('dense_tanh_no_bias', 'Dense', denseConfig('dense_3', 6, 'tanh', false), [2, 5], { reference: denseRef('tanh') });
  await layerCase('dense_softmax', 'Dense', denseConfig('dense_4', 4, 'softmax', true), [2, 5], { reference: denseRef('softmax') });

  // --- Activation -----------------------------------------------------------
  for (const act of ['relu', 'elu', 'selu', 'softplus', 'softsign', 'tanh', 'sigmoid', 'hard_sigmoid', 'exponential', 'linear', 'softmax']) {
    // tfjs 4.22 does not know the 'exponential' activation: computed from the formula exp(x).
    await layerCase('activation_' + act, 'Activation', { name: 'activation_1', trainable: true, activation: act }, [2, 3, 4], {
      input: (rng) => activationInput(rng, [2, 3, 4]),
      reference: (x) => ACT[act](x),
      formulaOnly: act === 'exponential',
    });
  }

  // --- Flatten --------------------------------------------------------------
  await layerCase('flatten_channels_last', 'Flatten', { name: 'flatten_1', trainable: true, data_format: 'channels_last' }, [2, 3, 4, 5],
    { reference: (x) => tf.reshape(x, [x.shape[0], -1]) });
  // Keras: channels_first moves channels last before flattening. Cross-checked against tfjs.
  await layerCase('flatten_channels_first', 'Flatten', { name: 'flatten_2', trainable: true, data_format: 'channels_first' }, [2, 3, 4, 5],
    { reference: (x) => tf.reshape(tf.transpose(x, [0, 2, 3, 1]), [x.shape[0], -1]) });

  // --- Reshape / Permute / RepeatVector -------------------------------------
  await layerCase('reshape_6_neg1', 'Reshape', { name: 'reshape_1', trainable: true, target_shape: [6, -1] }, [2, 3, 4, 2],
    { reference: (x) => tf.reshape(x, [x.shape[0], 6, -1]) });
  await layerCase('reshape_12', 'Reshape', { name: 'reshape_2', trainable: true, target_shape: [12] }, [2, 3, 4],
    { reference: (x) => tf.reshape(x, [x.shape[0], 12]) });
  await layerCase('permute_2_1', 'Permute', { name: 'permute_1', trainable: true, dims: [2, 1] }, [2, 3, 4],
    { reference: (x) => tf.transpose(x, [0, 2, 1]) });
  await layerCase('permute_3_1_2', 'Permute', { name: 'permute_2', trainable: true, dims: [3, 1, 2] }, [2, 3, 4, 5],
    { reference: (x) => tf.transpose(x, [0, 3, 1, 2]) });
  await layerCase('repeat_vector_3', 'RepeatVector', { name: 'repeat_vector_1', trainable: true, n: 3 }, [2, 4],
    { reference: (x) => tf.tile(tf.expandDims(x, 1), [1, 3, 1]) });

  // --- Dropout (inference: identity) ---------------------------------------
  await layerCase('dropout_0_5', 'Dropout', { name: 'dropout_1', trainable: true, rate: 0.5, noise_shape: null, seed: null }, [2, 3, 4],
    { reference: (x) => tf.mul(x, 1) });
  await layerCase('spatial_dropout1d_0_3', 'SpatialDropout1D', { name: 'spatial_dropout1d_1', trainable: true, rate: 0.3, noise_shape: null, seed: null }, [2, 3, 4],
    { reference: (x) => tf.mul(x, 1) });

  // --- Masking ----------------------------------------------------------------
  // [2,4,3]; batch 0 timestep 1 and batch 1 timesteps 2,3 are all-zero (masked);
  // batch 0 timestep 3 has a single 0 but is NOT masked.
  await layerCase('masking_0', 'Masking', { name: 'masking_1', trainable: true, mask_value: 0.0 }, [2, 4, 3], {
    input: (rng) => {
      const v = uniform(rng, [2, 4, 3]);
      const zero = (b, t, c) => { v.data[(b * 4 + t) * 3 + c] = 0; };
      [0, 1, 2].forEach((c) => { zero(0, 1, c); zero(1, 2, c); zero(1, 3, c); });
      zero(0, 3, 1);
      return v;
    },
    // tfjs's Masking layer cannot be differentiated (no gradient for Any): the gradient is
    // taken through the formula with the mask computed on a detached copy of x.
    reference: (x) => tf.mul(x, tf.cast(tf.any(tf.notEqual(detached(x), 0), -1, true), 'float32')),
    gradFromReference: true,
    outputMask: true,
  });
}

// ---------------------------------------------------------------------------
// Independent float64 loop implementations. They are never written to a fixture:
// every conv/pooling/reshaping case checks its outputs AND its gradients (from tf
// autodiff) against them, so a wrong tfjs kernel or gradient cannot slip through.
// All work on channels_last values {shape, data}; channels_first is handled by
// transposing in and out.
// ---------------------------------------------------------------------------
function assertCloseValues(t, v, what, rel = 1e-4) {
  const a = t.dataSync();
  if (JSON.stringify(t.shape) !== JSON.stringify(v.shape)) throw new Error(`cross-check failed for ${what}: shape ${JSON.stringify(t.shape)} vs ${JSON.stringify(v.shape)}`);
  let scale = 1; for (const x of v.data) scale = Math.max(scale, Math.abs(x));
  let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - v.data[i]));
  if (!(m <= rel * scale)) throw new Error(`cross-check failed for ${what}: max |diff| = ${m} (scale ${scale})`);
}
const stridesOf = (shape) => { const s = new Array(shape.length); let a = 1; for (let i = shape.length - 1; i >= 0; i--) { s[i] = a; a *= shape[i]; } return s; };
function forEachIndex(shape, fn) {
  const n = prod(shape); const idx = new Array(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    fn(idx, f);
    for (let d = shape.length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
}
function transposeV(v, perm) {
  const shape = perm.map((p) => v.shape[p]); const st = stridesOf(v.shape); const data = new Array(prod(shape));
  forEachIndex(shape, (idx, f) => { let s = 0; for (let d = 0; d < perm.length; d++) s += idx[d] * st[perm[d]]; data[f] = v.data[s]; });
  return { shape, data };
}
const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);
const permToCL = (r) => [0, ...range(2, r), 1];
const permToCF = (r) => [0, r - 1, ...range(1, r - 1)];
// Run a channels_last naive function on channels_first values.
function naiveWithFormat(df, f) {
  if (df !== 'channels_first') return f;
  return (xv, ws, up) => {
    const r = xv.shape.length;
    const res = f(transposeV(xv, permToCL(r)), ws, transposeV(up, permToCL(up.shape.length)));
    return { y: transposeV(res.y, permToCF(res.y.shape.length)), gx: transposeV(res.gx, permToCF(r)), gw: res.gw };
  };
}
// A sparse (bi)linear map: out[o] = sum_t coef_t * x[in_t] * (w_t >= 0 ? W[w_t] : 1).
function sparseOp(nOut, build) {
  const off = [0], ti = [], tw = [], tc = [];
  for (let o = 0; o < nOut; o++) { build(o, (i, w, c) => { ti.push(i); tw.push(w); tc.push(c); }); off.push(ti.length); }
  return { nOut, off, ti, tw, tc };
}
function sparseApply(op, x, W) {
  const y = new Array(op.nOut).fill(0);
  for (let o = 0; o < op.nOut; o++) for (let t = op.off[o]; t < op.off[o + 1]; t++) y[o] += op.tc[t] * x[op.ti[t]] * (op.tw[t] >= 0 ? W[op.tw[t]] : 1);
  return y;
}
function sparseVJP(op, x, W, g, nIn, nW) {
  const gx = new Array(nIn).fill(0), gw = new Array(nW).fill(0);
  for (let o = 0; o < op.nOut; o++) {
    for (let t = op.off[o]; t < op.off[o + 1]; t++) {
      const w = op.tw[t] >= 0 ? W[op.tw[t]] : 1;
      gx[op.ti[t]] += g[o] * op.tc[t] * w;
      if (op.tw[t] >= 0) gw[op.tw[t]] += g[o] * op.tc[t] * x[op.ti[t]];
    }
  }
  return { gx, gw };
}
// Keras/TF output length and leading padding of a window op along one axis.
function windowGeom(n, k, s, d, padding) {
  const eff = (k - 1) * d + 1;
  if (padding === 'valid') return { out: Math.floor((n - eff) / s) + 1, before: 0 };
  if (padding === 'causal') return { out: Math.floor((n + eff - 1 - eff) / s) + 1, before: eff - 1 };
  const out = Math.ceil(n / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + eff - n, 0) / 2) };
}
// Keras 2 conv_utils.deconv_length (output_padding None) and TF's implied leading padding.
function deconvGeom(n, k, s, padding) {
  if (padding === 'valid') return { out: n * s + Math.max(k - s, 0), before: 0 };
  return { out: n * s, before: Math.floor(Math.max(k - s, 0) / 2) };
}
// Build the sparse op of a convolution-like layer on channels_last x.
//   kind 'conv': kernel (k..., cin, cout); 'depthwise': kernel (k..., cin, dm), out channel c*dm+m;
//   'transpose': kernel (k..., cout, cin), the adjoint of a strided conv.
function convOp(xShape, kind, ks, kout, strides, dil, padding) {
  const rank = ks.length, B = xShape[0], sp = xShape.slice(1, 1 + rank), cin = xShape[1 + rank];
  const geo = sp.map((n, i) => (kind === 'transpose' ? deconvGeom(n, ks[i], strides[i], padding) : windowGeom(n, ks[i], strides[i], dil[i], padding)));
  const cout = kind === 'depthwise' ? cin * kout : kout;
  const outShape = [B, ...geo.map((g) => g.out), cout];
  const xs = stridesOf(xShape), os = stridesOf(outShape);
  const wShape = kind === 'conv' ? [...ks, cin, cout] : kind === 'depthwise' ? [...ks, cin, kout] : [...ks, cout, cin];
  const wst = stridesOf(wShape);
  if (kind !== 'transpose') {
    const op = sparseOp(prod(outShape), (o, push) => {
      let r = o; const oi = outShape.map((_, d) => { const q = Math.floor(r / os[d]); r -= q * os[d]; return q; });
      const b = oi[0], co = oi[rank + 1];
      forEachIndex(ks, (q) => {
        let xoff = b * xs[0];
        for (let d = 0; d < rank; d++) {
          const p = oi[1 + d] * strides[d] - geo[d].before + q[d] * dil[d];
          if (p < 0 || p >= sp[d]) return;
          xoff += p * xs[1 + d];
        }
        let woff = 0; for (let d = 0; d < rank; d++) woff += q[d] * wst[d];
        if (kind === 'conv') for (let ci = 0; ci < cin; ci++) push(xoff + ci, woff + ci * wst[rank] + co, 1);
        else { const c = Math.floor(co / kout), m = co % kout; push(xoff + c, woff + c * wst[rank] + m, 1); }
      });
    });
    return { op, outShape, wShape };
  }
  // transpose: scatter every (input position, kernel tap) to its output position.
  const lists = Array.from({ length: prod(outShape) }, () => []);
  forEachIndex([B, ...sp], (ii) => {
    forEachIndex(ks, (q) => {
      let ooff = ii[0] * os[0];
      for (let d = 0; d < rank; d++) {
        const p = ii[1 + d] * strides[d] + q[d] - geo[d].before;
        if (p < 0 || p >= outShape[1 + d]) return;
        ooff += p * os[1 + d];
      }
      let xoff = ii[0] * xs[0]; for (let d = 0; d < rank; d++) xoff += ii[1 + d] * xs[1 + d];
      let woff = 0; for (let d = 0; d < rank; d++) woff += q[d] * wst[d];
      for (let f = 0; f < cout; f++) for (let c = 0; c < cin; c++) lists[ooff + f].push([xoff + c, woff + f * wst[rank] + c]);
    });
  });
  const op = sparseOp(prod(outShape), (o, push) => { for (const [i, w] of lists[o]) push(i, w, 1); });
  return { op, outShape, wShape };
}
const NAIVE_ACT = {
  linear: { f: (z) => z, d: () => 1 },
  relu: { f: (z) => Math.max(z, 0), d: (z) => (z > 0 ? 1 : 0) },
};
function addBiasAct(z, zShape, bias, act) {
  const C = zShape[zShape.length - 1];
  const pre = bias ? z.map((v, i) => v + bias[i % C]) : z;
  return { pre, y: pre.map(NAIVE_ACT[act].f) };
}
function biasAndActGrad(pre, up, zShape, act, useBias) {
  const C = zShape[zShape.length - 1];
  const gz = up.map((g, i) => g * NAIVE_ACT[act].d(pre[i]));
  const gb = useBias ? new Array(C).fill(0) : null;
  if (useBias) gz.forEach((g, i) => { gb[i % C] += g; });
  return { gz, gb };
}
// Conv1D/2D/3D, DepthwiseConv2D, Conv2D/3DTranspose: weights [kernel, bias?].
function naiveConv(kind, o) {
  return naiveWithFormat(o.dataFormat, (xv, ws, up) => {
    const ks = ws[0].shape.slice(0, -2);
    const kout = ws[0].shape[ws[0].shape.length - (kind === 'transpose' ? 2 : 1)];
    const { op, outShape } = convOp(xv.shape, kind, ks, kout, o.strides, o.dilation || ks.map(() => 1), o.padding);
    const z = sparseApply(op, xv.data, ws[0].data);
    const useBias = ws.length > 1;
    const { pre, y } = addBiasAct(z, outShape, useBias ? ws[1].data : null, o.activation || 'linear');
    const { gz, gb } = biasAndActGrad(pre, up.data, outShape, o.activation || 'linear', useBias);
    const { gx, gw } = sparseVJP(op, xv.data, ws[0].data, gz, xv.data.length, ws[0].data.length);
    const gws = [{ shape: ws[0].shape, data: gw }];
    if (useBias) gws.push({ shape: ws[1].shape, data: gb });
    return { y: { shape: outShape, data: y }, gx: { shape: xv.shape, data: gx }, gw: gws };
  });
}
// SeparableConv1D/2D: weights [depthwise_kernel, pointwise_kernel, bias].
function naiveSeparable(o) {
  return naiveWithFormat(o.dataFormat, (xv, ws, up) => {
    const ks = ws[0].shape.slice(0, -2), dm = ws[0].shape[ws[0].shape.length - 1];
    const d1 = convOp(xv.shape, 'depthwise', ks, dm, o.strides, o.dilation || ks.map(() => 1), o.padding);
    const z1 = sparseApply(d1.op, xv.data, ws[0].data);
    const filters = ws[1].shape[ws[1].shape.length - 1];
    const d2 = convOp(d1.outShape, 'conv', ks.map(() => 1), filters, ks.map(() => 1), ks.map(() => 1), 'valid');
    const z2 = sparseApply(d2.op, z1, ws[1].data);
    const { pre, y } = addBiasAct(z2, d2.outShape, ws[2].data, 'linear');
    const { gz, gb } = biasAndActGrad(pre, up.data, d2.outShape, 'linear', true);
    const p = sparseVJP(d2.op, z1, ws[1].data, gz, z1.length, ws[1].data.length);
    const q = sparseVJP(d1.op, xv.data, ws[0].data, p.gx, xv.data.length, ws[0].data.length);
    return {
      y: { shape: d2.outShape, data: y }, gx: { shape: xv.shape, data: q.gx },
      gw: [{ shape: ws[0].shape, data: q.gw }, { shape: ws[1].shape, data: p.gw }, { shape: ws[2].shape, data: gb }],
    };
  });
}
// A weightless layer given as a sparse op built from the (channels_last) input values.
function naiveFromOp(df, build) {
  return naiveWithFormat(df, (xv, ws, up) => {
    const { op, outShape } = build(xv);
    const y = sparseApply(op, xv.data, []);
    const { gx } = sparseVJP(op, xv.data, [], up.data, xv.data.length, 0);
    return { y: { shape: outShape, data: y }, gx: { shape: xv.shape, data: gx }, gw: [] };
  });
}
// Max/average pooling: average pooling never counts padded positions (Keras/TF).
function naivePool(mode, pool, strides, padding, df) {
  return naiveFromOp(df, (xv) => {
    const rank = pool.length, sp = xv.shape.slice(1, 1 + rank), C = xv.shape[1 + rank];
    const geo = sp.map((n, i) => windowGeom(n, pool[i], strides[i], 1, padding));
    const outShape = [xv.shape[0], ...geo.map((g) => g.out), C];
    const xs = stridesOf(xv.shape), os = stridesOf(outShape);
    const op = sparseOp(prod(outShape), (o, push) => {
      let r = o; const oi = outShape.map((_, d) => { const q = Math.floor(r / os[d]); r -= q * os[d]; return q; });
      const win = [];
      forEachIndex(pool, (q) => {
        let off = oi[0] * xs[0] + oi[rank + 1];
        for (let d = 0; d < rank; d++) {
          const p = oi[1 + d] * strides[d] - geo[d].before + q[d];
          if (p < 0 || p >= sp[d]) return;
          off += p * xs[1 + d];
        }
        win.push(off);
      });
      if (mode === 'avg') win.forEach((i) => push(i, -1, 1 / win.length));
      else push(win.reduce((a, b) => (xv.data[b] > xv.data[a] ? b : a)), -1, 1);
    });
    return { op, outShape };
  });
}
function naiveGlobalPool(mode, df) {
  return naiveFromOp(df, (xv) => {
    const B = xv.shape[0], C = xv.shape[xv.shape.length - 1], n = prod(xv.shape.slice(1, -1));
    const op = sparseOp(B * C, (o, push) => {
      const b = Math.floor(o / C), c = o % C;
      const win = range(0, n).map((p) => (b * n + p) * C + c);
      if (mode === 'avg') win.forEach((i) => push(i, -1, 1 / n));
      else push(win.reduce((a, i) => (xv.data[i] > xv.data[a] ? i : a)), -1, 1);
    });
    return { op, outShape: [B, C] };
  });
}
// Separable per-axis resampling: out[..., o_d, ...] = sum over taps (i_d, coef) per spatial axis.
//   taps[d](o) -> [[i, coef], ...]; used for zero padding, cropping and up-sampling.
function naiveResample(df, outSp, taps) {
  return naiveFromOp(df, (xv) => {
    const rank = xv.shape.length - 2, C = xv.shape[rank + 1];
    const sizes = typeof outSp === 'function' ? outSp(xv.shape.slice(1, 1 + rank)) : outSp;
    const outShape = [xv.shape[0], ...sizes, C];
    const xs = stridesOf(xv.shape), os = stridesOf(outShape);
    const op = sparseOp(prod(outShape), (o, push) => {
      let r = o; const oi = outShape.map((_, d) => { const q = Math.floor(r / os[d]); r -= q * os[d]; return q; });
      const rec = (d, off, coef) => {
        if (d === rank) { push(off, -1, coef); return; }
        for (const [i, c] of taps[d](oi[1 + d], xv.shape[1 + d])) rec(d + 1, off + i * xs[1 + d], coef * c);
      };
      rec(0, oi[0] * xs[0] + oi[rank + 1], 1);
    });
    return { op, outShape };
  });
}
const padTaps = (before) => (o, n) => (o - before >= 0 && o - before < n ? [[o - before, 1]] : []);
const cropTaps = (before) => (o) => [[o + before, 1]];
const nearestTaps = (f) => (o) => [[Math.floor(o / f), 1]];
// TF2 bilinear resize with half-pixel centres (tf.image.resize, align_corners=False):
// src = (o + 0.5) / f - 0.5; lower = max(floor(src), 0); upper = min(ceil(src), n - 1); lerp = src - floor(src).
const bilinearTaps = (f) => (o, n) => {
  const src = (o + 0.5) / f - 0.5, fl = Math.floor(src);
  const lo = Math.max(fl, 0), hi = Math.min(Math.ceil(src), n - 1), l = src - fl;
  return [[lo, 1 - l], [hi, l]];
};

// ---------------------------------------------------------------------------
// Families conv, pooling, reshaping (one Keras 2 layer per case, same schema as 'layers')
// ---------------------------------------------------------------------------
const tuple = (v, r) => (Array.isArray(v) ? v.slice() : new Array(r).fill(v));
const isCF = (df) => df === 'channels_first';
// Run a channels_last tf function on channels_first x: transpose in, apply, transpose back.
const tfWithFormat = (df, f) => (x) => {
  if (!isCF(df)) return f(x);
  const y = f(tf.transpose(x, permToCL(x.rank)));
  return tf.transpose(y, permToCF(y.rank));
};
// Keras-style automatic layer names: <snake_case class>_<n>, numbered per class in generation order.
const layerNames = {};
function kerasName(base) { layerNames[base] = (layerNames[base] || 0) + 1; return `${base}_${layerNames[base]}`; }

// --- Keras 2.2.4 get_config() of the conv layers ----------------------------
function convConfig(name, rank, o) {
  return {
    name, trainable: true, filters: o.filters, kernel_size: tuple(o.kernel, rank), strides: tuple(o.strides || 1, rank),
    padding: o.padding, data_format: o.dataFormat || 'channels_last', dilation_rate: tuple(o.dilation || 1, rank),
    activation: o.activation || 'linear', use_bias: o.useBias !== false,
    kernel_initializer: KERAS_GLOROT_UNIFORM, bias_initializer: KERAS_ZEROS,
    kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null,
    kernel_constraint: null, bias_constraint: null,
  };
}
// Conv2DTranspose/Conv3DTranspose (Keras 2.2.4): no dilation_rate, output_padding last.
function convTransposeConfig(name, rank, o) {
  const c = convConfig(name, rank, o); delete c.dilation_rate; c.output_padding = null; return c;
}
// _SeparableConv: the conv config without rank and kernel_*, then the depthwise/pointwise keys.
function separableConfig(name, rank, o) {
  const c = convConfig(name, rank, o);
  delete c.kernel_initializer; delete c.kernel_regularizer; delete c.kernel_constraint;
  return Object.assign(c, {
    depth_multiplier: o.dm, depthwise_initializer: KERAS_GLOROT_UNIFORM, pointwise_initializer: KERAS_GLOROT_UNIFORM,
    depthwise_regularizer: null, pointwise_regularizer: null, depthwise_constraint: null, pointwise_constraint: null,
  });
}
// DepthwiseConv2D: the Conv2D config without filters and kernel_*, then the depthwise keys.
function depthwiseConfig(name, o) {
  const c = convConfig(name, 2, o);
  delete c.filters; delete c.kernel_initializer; delete c.kernel_regularizer; delete c.kernel_constraint;
  return Object.assign(c, { depth_multiplier: o.dm, depthwise_initializer: KERAS_GLOROT_UNIFORM, depthwise_regularizer: null, depthwise_constraint: null });
}

// --- references from tf ops (gradients from tf autodiff) ------------------------
// tfjs 4.22 has no gradient for dilated convolutions (it throws). A dilated convolution is
// the undilated convolution with the zero-dilated kernel (taps d apart), whose effective size
// (k-1)*d+1 also gives TF's 'same' padding; the kernel is dilated with slices and concats
// so its gradient flows back to the real kernel.
// Insert d-1 zeros between neighbours along one axis (n -> (n-1)*d+1), via stack+reshape+slice.
function dilateAxis(t, axis, d) {
  if (d === 1) return t;
  const n = t.shape[axis];
  const z = tf.zerosLike(t);
  const st = tf.stack([t, ...new Array(d - 1).fill(z)], axis + 1);
  const shape = t.shape.slice(); shape[axis] = n * d;
  const size = t.shape.slice(); size[axis] = (n - 1) * d + 1;
  return tf.slice(tf.reshape(st, shape), t.shape.map(() => 0), size);
}
function dilateKernel(k, dil) { return dil.reduce((acc, d, axis) => dilateAxis(acc, axis, d), k); }
function convRef(rank, o) {
  const s = tuple(o.strides || 1, rank), d = tuple(o.dilation || 1, rank), act = o.activation || 'linear';
  const one = d.map(() => 1);
  return (x, [k, b]) => tfWithFormat(o.dataFormat, (x) => {
    let y;
    const kd = dilateKernel(k, d);
    if (rank === 1) {
      let pad = o.padding;
      // causal = left-pad (kernel-1)*dilation zeros, then a valid convolution.
      if (pad === 'causal') { x = tf.pad(x, [[0, 0], [(k.shape[0] - 1) * d[0], 0], [0, 0]]); pad = 'valid'; }
      y = tf.conv1d(x, kd, s[0], pad, 'NWC', 1);
    } else if (rank === 2) y = tf.conv2d(x, kd, s, o.padding, 'NHWC', one);
    else y = tf.conv3d(x, kd, s, o.padding, 'NDHWC', one);
    if (b) y = tf.add(y, b);
    return ACT[act](y);
  })(x);
}
// Transposed convolution as a stride-1 convolution: zero-dilate x by the strides, pad
// (k-1-before) in front and what is left behind, and correlate with the spatially flipped
// kernel whose last two axes are swapped to (k..., in, filters). tfjs 4.22 has no gradient
// for conv3dTranspose (Conv3DBackpropInputV2); Conv3DTranspose gradients come from this form.
function convTransposeAsConv(x, k, rank, s, padding) {
  const ks = k.shape.slice(0, rank), sp = x.shape.slice(1, 1 + rank);
  let xd = x; s.forEach((st, i) => { xd = dilateAxis(xd, 1 + i, st); });
  const pads = [[0, 0], ...sp.map((n, i) => {
    const g = deconvGeom(n, ks[i], s[i], padding);
    const left = ks[i] - 1 - g.before, right = g.out + ks[i] - 1 - left - ((n - 1) * s[i] + 1);
    if (left < 0 || right < 0) throw new Error('convTransposeAsConv: negative padding');
    return [left, right];
  }), [0, 0]];
  const kf = tf.transpose(tf.reverse(k, range(0, rank)), [...range(0, rank), rank + 1, rank]);
  const one = ks.map(() => 1);
  return rank === 2 ? tf.conv2d(tf.pad(xd, pads), kf, one, 'valid') : tf.conv3d(tf.pad(xd, pads), kf, one, 'valid');
}
function convTransposeRef(rank, o) {
  const s = tuple(o.strides || 1, rank);
  return (x, [k, b]) => tfWithFormat(o.dataFormat, (x) => {
    const ks = k.shape.slice(0, rank);
    const out = [x.shape[0], ...x.shape.slice(1, 1 + rank).map((n, i) => deconvGeom(n, ks[i], s[i], o.padding).out), k.shape[rank]];
    let y;
    if (rank === 2) {
      y = tf.conv2dTranspose(x, k, out, s, o.padding);
      assertClose(detached(convTransposeAsConv(x, k, rank, s, o.padding)), detached(y), 'conv2dTranspose vs its stride-1 conv form', 1e-4);
    } else {
      y = convTransposeAsConv(x, k, rank, s, o.padding);
      assertClose(tf.conv3dTranspose(detached(x), detached(k), out, s, o.padding), detached(y), 'conv3dTranspose vs its stride-1 conv form', 1e-4);
    }
    if (b) y = tf.add(y, b);
    return y;
  })(x);
}
function separableRef(rank, o) {
  const s = tuple(o.strides || 1, rank), d = tuple(o.dilation || 1, rank);
  return (x, [dk, pk, b]) => tfWithFormat(o.dataFormat, (x) => {
    const y = rank === 2 ? tf.separableConv2d(x, dk, pk, s, o.padding, d, 'NHWC')
      : tf.squeeze(tf.separableConv2d(tf.expandDims(x, 1), tf.expandDims(dk, 0), tf.expandDims(pk, 0), [1, s[0]], o.padding, [1, d[0]], 'NHWC'), [1]);
    return tf.add(y, b);
  })(x);
}
function depthwiseRef(o) {
  const s = tuple(o.strides || 1, 2), d = tuple(o.dilation || 1, 2);
  return (x, [dk, b]) => tfWithFormat(o.dataFormat, (x) => tf.add(tf.depthwiseConv2d(x, dk, s, o.padding, 'NHWC', d), b))(x);
}
const naiveOpts = (rank, o) => ({ dataFormat: o.dataFormat, padding: o.padding, activation: o.activation, strides: tuple(o.strides || 1, rank), dilation: tuple(o.dilation || 1, rank) });

async function genConv() {
  const F = 'conv';
  // Conv1D. tfjs: Conv1D does not serialise data_format (it keeps it as a property, checked);
  // channels_first gives a wrong layout and 'causal' is refused -> values from the reference
  // (causal: the tfjs layer is built with padding 'valid' only to check the other keys).
  const conv1d = async (name, o, shape) => {
    const cfg = convConfig(kerasName('conv1d'), 1, o);
    await layerCase(name, 'Conv1D', cfg, shape, {
      family: F, reference: convRef(1, o), naive: naiveConv('conv', naiveOpts(1, o)),
      tfjsConfig: o.padding === 'causal' ? Object.assign({}, cfg, { padding: 'valid' }) : undefined,
      useReference: o.padding === 'causal' || isCF(o.dataFormat),
      gradFromReference: o.dilation > 1, // tfjs: no gradient for dilated convolutions
    });
  };
  await conv1d('conv1d_k3_s1_valid_cl', { filters: 4, kernel: 3, padding: 'valid' }, [2, 9, 3]);
  await conv1d('conv1d_k3_s2_same_cl', { filters: 4, kernel: 3, strides: 2, padding: 'same' }, [2, 9, 3]);
  await conv1d('conv1d_k2_d2_same_cl', { filters: 4, kernel: 2, dilation: 2, padding: 'same' }, [2, 9, 3]);
  await conv1d('conv1d_k3_causal_cl', { filters: 4, kernel: 3, padding: 'causal' }, [2, 9, 3]);
  await conv1d('conv1d_k2_d2_causal_cl', { filters: 3, kernel: 2, dilation: 2, padding: 'causal' }, [2, 7, 2]);
  await conv1d('conv1d_k3_s2_same_cf', { filters: 4, kernel: 3, strides: 2, padding: 'same', dataFormat: 'channels_first' }, [2, 3, 9]);

  // Conv2D / Conv3D (tfjs values, checked against tf ops and the loops).
  const convNd = async (rank, name, o, shape) => {
    await layerCase(name, `Conv${rank}D`, convConfig(kerasName(`conv${rank}d`), rank, o), shape, {
      family: F, reference: convRef(rank, o), naive: naiveConv('conv', naiveOpts(rank, o)),
      gradFromReference: tuple(o.dilation || 1, rank).some((d) => d > 1), // tfjs: no gradient for dilated convolutions
    });
  };
  await convNd(2, 'conv2d_k3_s1_same_cl', { filters: 4, kernel: 3, padding: 'same' }, [2, 7, 5, 3]);
  await convNd(2, 'conv2d_k3_s2_valid_cl', { filters: 4, kernel: 3, strides: 2, padding: 'valid' }, [2, 7, 9, 3]);
  await convNd(2, 'conv2d_k3x2_s2x1_same_cl', { filters: 4, kernel: [3, 2], strides: [2, 1], padding: 'same' }, [2, 7, 5, 3]);
  await convNd(2, 'conv2d_k3_d2_same_cl', { filters: 3, kernel: 3, dilation: 2, padding: 'same' }, [2, 7, 9, 2]);
  await convNd(2, 'conv2d_k3_s2_same_cf', { filters: 4, kernel: 3, strides: 2, padding: 'same', dataFormat: 'channels_first' }, [2, 3, 7, 5]);
  await convNd(2, 'conv2d_k3_s1_valid_nobias_relu_cl', { filters: 4, kernel: 3, padding: 'valid', useBias: false, activation: 'relu' }, [2, 7, 5, 3]);
  await convNd(3, 'conv3d_k2_s1_valid_cl', { filters: 3, kernel: 2, padding: 'valid' }, [2, 5, 7, 5, 2]);
  await convNd(3, 'conv3d_k3_s2_same_cl', { filters: 3, kernel: 3, strides: 2, padding: 'same' }, [2, 5, 7, 5, 2]);
  await convNd(3, 'conv3d_k3_s1_same_cf', { filters: 2, kernel: 3, padding: 'same', dataFormat: 'channels_first' }, [2, 2, 5, 5, 5]);

  // SeparableConv1D: no tfjs layer -> reference only (separableConv2d on a height-1 image).
  // SeparableConv2D channels_first: tfjs adds the bias on the wrong axis -> reference.
  const separable = async (rank, name, o, shape) => {
    const cin = isCF(o.dataFormat) ? shape[1] : shape[shape.length - 1];
    const ks = tuple(o.kernel, rank);
    await layerCase(name, `SeparableConv${rank}D`, separableConfig(kerasName(`separable_conv${rank}d`), rank, o), shape, {
      family: F, reference: separableRef(rank, o), naive: naiveSeparable(naiveOpts(rank, o)),
      formulaOnly: rank === 1, useReference: isCF(o.dataFormat),
      weightShapes: [[...ks, cin, o.dm], [...ks.map(() => 1), cin * o.dm, o.filters], [o.filters]],
    });
  };
  await separable(1, 'separable_conv1d_k3_dm1_s1_same_cl', { filters: 4, kernel: 3, dm: 1, padding: 'same' }, [2, 9, 3]);
  await separable(1, 'separable_conv1d_k3_dm2_s2_valid_cl', { filters: 4, kernel: 3, dm: 2, strides: 2, padding: 'valid' }, [2, 9, 3]);
  await separable(1, 'separable_conv1d_k3_dm2_s2_same_cl', { filters: 3, kernel: 3, dm: 2, strides: 2, padding: 'same' }, [2, 9, 2]);
  await separable(2, 'separable_conv2d_k3_dm1_s1_same_cl', { filters: 4, kernel: 3, dm: 1, padding: 'same' }, [2, 7, 5, 3]);
  await separable(2, 'separable_conv2d_k3_dm2_s2_valid_cl', { filters: 4, kernel: 3, dm: 2, strides: 2, padding: 'valid' }, [2, 7, 9, 3]);
  await separable(2, 'separable_conv2d_k3_dm2_s2_same_cl', { filters: 3, kernel: 3, dm: 2, strides: 2, padding: 'same' }, [2, 7, 5, 2]);
  await separable(2, 'separable_conv2d_k3_dm2_s1_same_cf', { filters: 4, kernel: 3, dm: 2, padding: 'same', dataFormat: 'channels_first' }, [2, 3, 7, 5]);

  // DepthwiseConv2D.
  const depthwise = async (name, o, shape) => {
    await layerCase(name, 'DepthwiseConv2D', depthwiseConfig(kerasName('depthwise_conv2d'), o), shape,
      { family: F, reference: depthwiseRef(o), naive: naiveConv('depthwise', naiveOpts(2, o)) });
  };
  await depthwise('depthwise_conv2d_k3_dm1_s1_same_cl', { kernel: 3, dm: 1, padding: 'same' }, [2, 7, 5, 3]);
  await depthwise('depthwise_conv2d_k3_dm2_s2_valid_cl', { kernel: 3, dm: 2, strides: 2, padding: 'valid' }, [2, 7, 9, 3]);
  await depthwise('depthwise_conv2d_k3_dm2_s1_same_cf', { kernel: 3, dm: 2, padding: 'same', dataFormat: 'channels_first' }, [2, 3, 7, 5]);

  // Conv2DTranspose / Conv3DTranspose: kernel (k..., filters, in). tfjs has no output_padding
  // (it implements output_padding=None, which is what these configs say).
  const convT = async (rank, name, o, shape) => {
    await layerCase(name, `Conv${rank}DTranspose`, convTransposeConfig(kerasName(`conv${rank}d_transpose`), rank, o), shape, {
      family: F, reference: convTransposeRef(rank, o), naive: naiveConv('transpose', naiveOpts(rank, o)),
      tfjsDefaults: { output_padding: null },
      gradFromReference: rank === 3, // tfjs: no gradient for conv3dTranspose
    });
  };
  await convT(2, 'conv2d_transpose_k3_s1_same_cl', { filters: 2, kernel: 3, padding: 'same' }, [2, 5, 7, 3]);
  await convT(2, 'conv2d_transpose_k3_s2_same_cl', { filters: 2, kernel: 3, strides: 2, padding: 'same' }, [2, 5, 7, 3]);
  await convT(2, 'conv2d_transpose_k3_s2_valid_cl', { filters: 2, kernel: 3, strides: 2, padding: 'valid' }, [2, 5, 7, 3]);
  await convT(2, 'conv2d_transpose_k2_s2_valid_cl', { filters: 3, kernel: 2, strides: 2, padding: 'valid' }, [2, 5, 7, 2]);
  await convT(2, 'conv2d_transpose_k3_s2_same_cf', { filters: 2, kernel: 3, strides: 2, padding: 'same', dataFormat: 'channels_first' }, [2, 3, 5, 7]);
  await convT(3, 'conv3d_transpose_k2_s1_valid_cl', { filters: 2, kernel: 2, padding: 'valid' }, [2, 5, 5, 5, 2]);
  await convT(3, 'conv3d_transpose_k3_s2x1x2_same_cl', { filters: 2, kernel: 3, strides: [2, 1, 2], padding: 'same' }, [2, 5, 5, 5, 2]);
  await convT(3, 'conv3d_transpose_k3_s1_same_cf', { filters: 2, kernel: 3, padding: 'same', dataFormat: 'channels_first' }, [2, 2, 5, 5, 5]);
}

// --- pooling -------------------------------------------------------------------
function poolOp(x, rank, mode, pool, strides, padding) {
  if (rank === 1) return tf.squeeze(poolOp(tf.expandDims(x, 1), 2, mode, [1, pool[0]], [1, strides[0]], padding), [1]);
  if (rank === 2) return mode === 'max' ? tf.maxPool(x, pool, strides, padding) : tf.avgPool(x, pool, strides, padding);
  return mode === 'max' ? tf.maxPool3d(x, pool, strides, padding, undefined, 'NDHWC') : tf.avgPool3d(x, pool, strides, padding, undefined, 'NDHWC');
}
// Average pooling with 'same' padding, padding not counted, from ops whose gradients are right:
// (zero-pad x, valid average pool) / (zero-pad ones, valid average pool).
function avgPoolSame(x, rank, pool, strides) {
  const pads = [[0, 0], ...x.shape.slice(1, 1 + rank).map((n, i) => {
    const g = windowGeom(n, pool[i], strides[i], 1, 'same');
    return [g.before, Math.max((g.out - 1) * strides[i] + pool[i] - n, 0) - g.before];
  }), [0, 0]];
  const num = poolOp(tf.pad(x, pads), rank, 'avg', pool, strides, 'valid');
  const den = poolOp(tf.pad(tf.ones(x.shape), pads), rank, 'avg', pool, strides, 'valid');
  return tf.div(num, den);
}
const poolRef = (rank, mode, pool, strides, padding, df) => (x) => tfWithFormat(df, (x) => (
  mode === 'avg' && padding === 'same' ? avgPoolSame(x, rank, pool, strides) : poolOp(x, rank, mode, pool, strides, padding)))(x);
const globalPoolRef = (mode, df) => (x) => {
  const axes = isCF(df) ? range(2, x.rank) : range(1, x.rank - 1);
  return mode === 'max' ? tf.max(x, axes) : tf.mean(x, axes);
};
const TFJS_HAS_3D_GLOBAL_POOLING = false; // tfjs 4.22 has GlobalMax/AveragePooling1D/2D only

async function genPooling() {
  const F = 'pooling';
  const cls = { max: 'MaxPooling', avg: 'AveragePooling' }, snake = { max: 'max_pooling', avg: 'average_pooling' };
  const pooling = async (rank, mode, name, pool, strides, padding, df, shape) => {
    const p = tuple(pool, rank), s = tuple(strides == null ? pool : strides, rank);
    const layerName = kerasName(`${snake[mode]}${rank}d`);
    // Keras 2.2.4 key order: 1D strides, pool_size, padding, data_format; 2D/3D pool_size, padding, strides, data_format.
    const cfg = rank === 1
      ? { name: layerName, trainable: true, strides: s, pool_size: p, padding, data_format: df }
      : { name: layerName, trainable: true, pool_size: p, padding, strides: s, data_format: df };
    await layerCase(name, `${cls[mode]}${rank}D`, cfg, shape, {
      family: F,
      input: mode === 'max' ? (rng) => distinct(rng, shape) : undefined, // no ties in a window
      reference: poolRef(rank, mode, p, s, padding, df),
      // tfjs's gradient of average pooling with 'same' padding counts the padding: gradients
      // come from the reference (the tfjs forward pass is right and is checked against it).
      gradFromReference: mode === 'avg' && padding === 'same',
      naive: naivePool(mode, p, s, padding, df),
      tfjsDefaults: rank === 1 ? { data_format: 'channels_last' } : undefined, // tfjs Pooling1D has no data_format
    });
  };
  const CL = 'channels_last', CF = 'channels_first';
  for (const mode of ['max', 'avg']) {
    const m = mode === 'max' ? 'max_pooling' : 'average_pooling';
    await pooling(1, mode, `${m}1d_p2`, 2, null, 'valid', CL, [2, 9, 3]);
    await pooling(1, mode, `${m}1d_p3_s2_same`, 3, 2, 'same', CL, [2, 9, 3]);
    await pooling(1, mode, `${m}1d_p3_s1_valid`, 3, 1, 'valid', CL, [2, 9, 3]);
    await pooling(2, mode, `${m}2d_p2_cl`, 2, null, 'valid', CL, [2, 7, 9, 3]);
    await pooling(2, mode, `${m}2d_p3_s2_same_cl`, 3, 2, 'same', CL, [2, 7, 9, 3]);
    await pooling(2, mode, `${m}2d_p3_s1_valid_cl`, 3, 1, 'valid', CL, [2, 7, 9, 3]);
    await pooling(2, mode, `${m}2d_p3_s2_same_cf`, 3, 2, 'same', CF, [2, 3, 7, 9]);
    await pooling(3, mode, `${m}3d_p2_cl`, 2, null, 'valid', CL, [2, 5, 7, 5, 2]);
    await pooling(3, mode, `${m}3d_p3_s2_same_cl`, 3, 2, 'same', CL, [2, 5, 7, 5, 2]);
    await pooling(3, mode, `${m}3d_p3_s1_valid_cl`, 3, 1, 'valid', CL, [2, 5, 7, 5, 2]);
    await pooling(3, mode, `${m}3d_p3_s2_same_cf`, 3, 2, 'same', CF, [2, 2, 5, 7, 5]);
  }
  // Global pooling (keepdims is not used: tfjs ignores it, and Keras 2.2.4 has no such option).
  const gcls = { max: 'GlobalMaxPooling', avg: 'GlobalAveragePooling' }, gsnake = { max: 'global_max_pooling', avg: 'global_average_pooling' };
  const globalPool = async (rank, mode, name, df, shape) => {
    await layerCase(name, `${gcls[mode]}${rank}D`, { name: kerasName(`${gsnake[mode]}${rank}d`), trainable: true, data_format: df }, shape, {
      family: F,
      input: mode === 'max' ? (rng) => distinct(rng, shape) : undefined,
      reference: globalPoolRef(mode, df),
      naive: naiveGlobalPool(mode, df),
      formulaOnly: rank === 3 && !TFJS_HAS_3D_GLOBAL_POOLING,
      tfjsDefaults: rank === 1 ? { data_format: 'channels_last' } : undefined, // tfjs GlobalPooling1D has no data_format
    });
  };
  for (const mode of ['max', 'avg']) {
    const m = mode === 'max' ? 'global_max_pooling' : 'global_average_pooling';
    await globalPool(1, mode, `${m}1d`, CL, [2, 9, 3]);
    await globalPool(2, mode, `${m}2d_cl`, CL, [2, 7, 5, 3]);
    await globalPool(2, mode, `${m}2d_cf`, CF, [2, 3, 7, 5]);
    await globalPool(3, mode, `${m}3d_cl`, CL, [2, 5, 7, 5, 2]);
  }
}

// --- reshaping -------------------------------------------------------------------
// Index helpers for gather-based references.
const gatherAxis = (x, idx, axis) => tf.gather(x, tf.tensor1d(idx, 'int32'), axis);
// Resample one axis with two taps per output position (bilinear): sum_t gather(x, i_t) * c_t.
function resampleAxis(x, axis, taps) {
  const n = x.shape[axis], outN = taps.length;
  const shape = new Array(x.rank).fill(1); shape[axis] = outN;
  let y = null;
  for (let t = 0; t < 2; t++) {
    const term = tf.mul(gatherAxis(x, taps.map((tp) => tp[t][0]), axis), tf.tensor(taps.map((tp) => Math.fround(tp[t][1])), shape));
    y = y ? tf.add(y, term) : term;
  }
  if (n < 1) throw new Error('empty axis');
  return y;
}

async function genReshaping() {
  const F = 'reshaping';
  const CL = 'channels_last', CF = 'channels_first';
  // ZeroPadding: tfjs has ZeroPadding2D only; 1D/3D are computed with tf.pad.
  const zeroPad = async (rank, name, padding, df, shape) => {
    const cfg = { name: kerasName(`zero_padding${rank}d`), trainable: true, padding };
    if (rank > 1) cfg.data_format = df;
    const pads = rank === 1 ? [padding] : padding;
    await layerCase(name, `ZeroPadding${rank}D`, cfg, shape, {
      family: F,
      reference: (x) => tfWithFormat(df, (x) => tf.pad(x, [[0, 0], ...pads, [0, 0]]))(x),
      naive: naiveResample(df, (sp) => sp.map((n, d) => n + pads[d][0] + pads[d][1]), pads.map((p) => padTaps(p[0]))),
      formulaOnly: rank !== 2,
    });
  };
  await zeroPad(1, 'zero_padding1d_1', [1, 1], CL, [2, 7, 3]);
  await zeroPad(1, 'zero_padding1d_1_2', [1, 2], CL, [2, 7, 3]);
  await zeroPad(2, 'zero_padding2d_1_cl', [[1, 1], [1, 1]], CL, [2, 5, 7, 3]);
  await zeroPad(2, 'zero_padding2d_12_01_cl', [[1, 2], [0, 1]], CL, [2, 5, 7, 3]);
  await zeroPad(2, 'zero_padding2d_12_01_cf', [[1, 2], [0, 1]], CF, [2, 3, 5, 7]);
  await zeroPad(3, 'zero_padding3d_1_cl', [[1, 1], [1, 1], [1, 1]], CL, [2, 5, 7, 5, 2]);
  await zeroPad(3, 'zero_padding3d_10_01_11_cl', [[1, 0], [0, 1], [1, 1]], CL, [2, 5, 7, 5, 2]);

  // Cropping: tfjs has Cropping2D only; 1D/3D are computed with tf.slice.
  const crop = async (rank, name, cropping, df, shape) => {
    const cfg = { name: kerasName(`cropping${rank}d`), trainable: true, cropping };
    if (rank > 1) cfg.data_format = df;
    const crops = rank === 1 ? [cropping] : cropping;
    await layerCase(name, `Cropping${rank}D`, cfg, shape, {
      family: F,
      reference: (x) => tfWithFormat(df, (x) => tf.slice(x, [0, ...crops.map((c) => c[0]), 0],
        [-1, ...crops.map((c, d) => x.shape[1 + d] - c[0] - c[1]), -1]))(x),
      naive: naiveResample(df, (sp) => sp.map((n, d) => n - crops[d][0] - crops[d][1]), crops.map((c) => cropTaps(c[0]))),
      formulaOnly: rank !== 2,
    });
  };
  await crop(1, 'cropping1d_1_2', [1, 2], CL, [2, 7, 3]);
  await crop(2, 'cropping2d_10_21_cl', [[1, 0], [2, 1]], CL, [2, 5, 7, 3]);
  await crop(2, 'cropping2d_10_21_cf', [[1, 0], [2, 1]], CF, [2, 3, 5, 7]);
  await crop(3, 'cropping3d_10_01_11_cl', [[1, 0], [0, 1], [1, 1]], CL, [2, 5, 7, 5, 2]);

  // UpSampling: tfjs has UpSampling2D only. Nearest = repeat each element (gather).
  // Bilinear: tfjs uses TF1's mapping (src = dst/size); Keras 2 on TF2 uses half-pixel
  // centres, computed here from gathers and weights (and checked against
  // tf.image.resizeBilinear(..., alignCorners=false, halfPixelCenters=true)).
  const upsample = async (rank, name, size, df, shape, interpolation = 'nearest') => {
    const cfg = { name: kerasName(`up_sampling${rank}d`), trainable: true, size };
    if (rank > 1) cfg.data_format = df;
    if (rank === 2) cfg.interpolation = interpolation;
    const sizes = rank === 1 ? [size] : size;
    const bilinear = interpolation === 'bilinear';
    const reference = (x) => tfWithFormat(df, (x) => {
      let y = x;
      sizes.forEach((f, d) => {
        const n = x.shape[1 + d], outN = n * f;
        y = bilinear ? resampleAxis(y, 1 + d, range(0, outN).map((o) => bilinearTaps(f)(o, n)))
          : gatherAxis(y, range(0, outN).map((o) => Math.floor(o / f)), 1 + d);
      });
      if (bilinear) {
        const check = tf.image.resizeBilinear(detached(x), [x.shape[1] * sizes[0], x.shape[2] * sizes[1]], false, true);
        assertClose(check, detached(y), `${F}/${name} gathers vs tf.image.resizeBilinear(halfPixelCenters)`);
      }
      return y;
    })(x);
    await layerCase(name, `UpSampling${rank}D`, cfg, shape, {
      family: F, reference,
      naive: naiveResample(df, (sp) => sp.map((n, d) => n * sizes[d]), sizes.map((f) => (bilinear ? bilinearTaps(f) : nearestTaps(f)))),
      formulaOnly: rank !== 2,
      useReference: bilinear,
      // tfjs 4.22: the gradient of resizeNearestNeighbor (UpSampling2D 'nearest') is wrong for
      // batch > 1 -> gradients from the gathers; the tfjs forward pass is right and checked.
      gradFromReference: rank === 2 && !bilinear,
    });
  };
  await upsample(1, 'up_sampling1d_2', 2, CL, [2, 7, 3]);
  await upsample(2, 'up_sampling2d_2_3_nearest_cl', [2, 3], CL, [2, 5, 7, 3]);
  await upsample(2, 'up_sampling2d_2_3_nearest_cf', [2, 3], CF, [2, 3, 5, 7]);
  await upsample(2, 'up_sampling2d_2_3_bilinear_cl', [2, 3], CL, [2, 5, 7, 3], 'bilinear');
  await upsample(3, 'up_sampling3d_2_1_2_cl', [2, 1, 2], CL, [2, 5, 5, 5, 2]);
}

// ===========================================================================
// Families recurrent, merge, activation, normalization, noise, attention
//
// One Keras layer per case, built by the general runner `kcase` below, which extends the
// single-input layer schema to several inputs / outputs, int32 inputs, masks, call
// arguments, non-trainable weights, training mode and stateful sequences of batches.
// Every case is checked three ways where possible:
//   * tfjs builds the layer from the Keras config, and the config must survive (verifyConfig);
//   * a reference written with tf ops (gradients from tf autodiff) must agree with tfjs (1e-5),
//     or replaces tfjs where tfjs is wrong / missing;
//   * independent float64 loops (never written to a fixture) recompute the outputs, and
//     central finite differences of those loops recompute every gradient (relative 1e-4).
// ===========================================================================

// --- float64 helpers ({shape, data} with plain arrays) ---------------------------------
const NAIVE_F = {
  linear: (z) => z,
  relu: (z) => Math.max(z, 0),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  hard_sigmoid: (z) => Math.min(1, Math.max(0, 0.2 * z + 0.5)),
};
const zerosV = (shape) => ({ shape: shape.slice(), data: new Array(prod(shape)).fill(0) });
const cloneV = (v) => ({ shape: v.shape.slice(), data: v.data.slice() });
// y[n] = sum_i x[i] * W[i, n] over a row of x (offset xo, length I); W (I, N) row-major.
function rowMatVec(x, xo, I, W, N, out) {
  for (let n = 0; n < N; n++) { let s = 0; for (let i = 0; i < I; i++) s += x[xo + i] * W[i * N + n]; out[n] += s; }
  return out;
}
function reverseTime(v) { // (B, T, ...) -> reversed along axis 1
  const [B, T] = v.shape; const inner = prod(v.shape.slice(2)); const out = cloneV(v);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < inner; k++) out.data[(b * T + t) * inner + k] = v.data[(b * T + (T - 1 - t)) * inner + k];
  return out;
}
// Central finite differences of L(x, w) = sum_k <naive_k(x, w), up_k> in float64.
function fdGrads(naive, xvals, wvals, ups, skipX, skipW) {
  const loss = () => {
    const ys = naive(xvals, wvals);
    let s = 0; ys.forEach((y, k) => { if (ups[k]) for (let i = 0; i < y.data.length; i++) s += y.data[i] * ups[k].data[i]; });
    return s;
  };
  const grad = (v) => {
    const g = new Array(v.data.length);
    for (let i = 0; i < v.data.length; i++) {
      const x0 = v.data[i]; const h = 1e-5 * Math.max(1, Math.abs(x0));
      v.data[i] = x0 + h; const lp = loss();
      v.data[i] = x0 - h; const lm = loss();
      v.data[i] = x0; g[i] = (lp - lm) / (2 * h);
    }
    return { shape: v.shape.slice(), data: g };
  };
  return { gx: xvals.map((v, i) => (skipX[i] ? null : grad(v))), gw: wvals.map((v, i) => (skipW[i] ? null : grad(v))) };
}

// --- Keras 2.2.4 configs ------------------------------------------------------------------
const KERAS_ORTHOGONAL = { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } };
const KERAS_ONES = { class_name: 'Ones', config: {} };
const rnnBase = (name, o) => ({
  name, trainable: true, return_sequences: !!o.returnSequences, return_state: !!o.returnState,
  go_backwards: !!o.goBackwards, stateful: !!o.stateful, unroll: false,
});
function rnnConfig(kind, name, o) {
  const c = rnnBase(name, o);
  c.units = o.units; c.activation = o.activation || 'tanh';
  if (kind !== 'simple') c.recurrent_activation = o.recurrentActivation;
  Object.assign(c, { use_bias: true, kernel_initializer: KERAS_GLOROT_UNIFORM, recurrent_initializer: KERAS_ORTHOGONAL, bias_initializer: KERAS_ZEROS });
  if (kind === 'lstm') c.unit_forget_bias = o.unitForgetBias !== false;
  Object.assign(c, {
    kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null,
    kernel_constraint: null, recurrent_constraint: null, bias_constraint: null, dropout: 0.0, recurrent_dropout: 0.0,
  });
  if (kind !== 'simple') c.implementation = 1;
  if (kind === 'gru') c.reset_after = !!o.resetAfter;
  return c;
}
const RNN_CLASS = { simple: 'SimpleRNN', gru: 'GRU', lstm: 'LSTM' };
const RNN_SNAKE = { simple: 'simple_rnn', gru: 'gru', lstm: 'lstm' };
const rnnGates = (kind) => ({ simple: 1, gru: 3, lstm: 4 }[kind]);
function rnnWeightShapes(kind, I, o) {
  const G = rnnGates(kind), H = o.units;
  return [[I, G * H], [H, G * H], kind === 'gru' && o.resetAfter ? [2, G * H] : [G * H]];
}

// --- recurrent references with tf ops ----------------------------------------------------
const sliceCols = (m, k, H) => tf.slice(m, [0, k * H], [-1, H]);
// One cell step: returns [output, newStates].
function tfCell(kind, o, [K, U, b]) {
  const act = ACT[o.activation || 'tanh'], ract = ACT[o.recurrentActivation || 'linear'], H = o.units;
  if (kind === 'simple') return (x, [h]) => { const y = act(tf.add(tf.add(tf.matMul(x, K), b), tf.matMul(h, U))); return [y, [y]]; };
  if (kind === 'lstm') {
    return (x, [h, c]) => {
      const z = tf.add(tf.add(tf.matMul(x, K), tf.matMul(h, U)), b);
      const i = ract(sliceCols(z, 0, H)), f = ract(sliceCols(z, 1, H)), o_ = ract(sliceCols(z, 3, H));
      const c2 = tf.add(tf.mul(f, c), tf.mul(i, act(sliceCols(z, 2, H))));
      const h2 = tf.mul(o_, act(c2));
      return [h2, [h2, c2]];
    };
  }
  // GRU. reset_after=false: hh = act(x Kh + bh + (r*h) Uh); reset_after=true (bias (2,3H): input
  // bias row 0, recurrent bias row 1): hh = act(x Kh + bi_h + r * (h Uh + br_h)).
  return (x, [h]) => {
    const bi = o.resetAfter ? tf.reshape(tf.slice(b, [0, 0], [1, -1]), [-1]) : b;
    const br = o.resetAfter ? tf.reshape(tf.slice(b, [1, 0], [1, -1]), [-1]) : null;
    const xm = tf.add(tf.matMul(x, K), bi);
    let hz = tf.matMul(h, sliceCols(U, 0, H)), hr = tf.matMul(h, sliceCols(U, 1, H));
    if (br) { hz = tf.add(hz, sliceCols(tf.expandDims(br, 0), 0, H)); hr = tf.add(hr, sliceCols(tf.expandDims(br, 0), 1, H)); }
    const z = ract(tf.add(sliceCols(xm, 0, H), hz)), r = ract(tf.add(sliceCols(xm, 1, H), hr));
    const rec = br ? tf.mul(r, tf.add(tf.matMul(h, sliceCols(U, 2, H)), sliceCols(tf.expandDims(br, 0), 2, H)))
      : tf.matMul(tf.mul(r, h), sliceCols(U, 2, H));
    const hh = act(tf.add(sliceCols(xm, 2, H), rec));
    const h2 = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
    return [h2, [h2]];
  };
}
// Keras RNN loop (K.rnn): go_backwards processes t = T-1..0 and returns outputs in processing
// order; a masked step (mask false) outputs the previous output (= states[0]) and keeps the states.
// stepFn(x_t, states) -> [output, states]; x_t is x[:, t].
function tfRnnLoop(x, stepFn, init, o, mask) {
  const T = x.shape[1];
  let states = init; const outs = [];
  for (let s = 0; s < T; s++) {
    const t = o.goBackwards ? T - 1 - s : s;
    const xt = tf.squeeze(tf.slice(x, [0, t, ...x.shape.slice(2).map(() => 0)], [-1, 1, ...x.shape.slice(2).map(() => -1)]), [1]);
    let [y, ns] = stepFn(xt, states);
    if (mask) {
      const m = tf.reshape(tf.tensor1d(mask.map((row) => (row[t] ? 1 : 0)), 'float32'), [-1, ...y.shape.slice(1).map(() => 1)]);
      const keep = (a, b) => tf.add(tf.mul(a, m), tf.mul(b, tf.sub(1, m)));
      y = keep(y, states[0]); ns = ns.map((st, i) => keep(st, states[i]));
    }
    outs.push(y); states = ns;
  }
  return { y: o.returnSequences ? tf.stack(outs, 1) : outs[outs.length - 1], states };
}
function tfRnnRef(kind, o) {
  return (xs, ws, masks, init) => {
    const x = xs[0], B = x.shape[0], H = o.units;
    const zero = tf.zeros([B, H]);
    const st0 = init || (kind === 'lstm' ? [zero, zero] : [zero]);
    const { y, states } = tfRnnLoop(x, tfCell(kind, o, ws), st0, o, masks && masks[0]);
    return o.returnState ? [y, ...states] : [y];
  };
}

// --- recurrent float64 loops ----------------------------------------------------------------
function naiveRnnCell(kind, o, [K, U, b], I) {
  const act = NAIVE_F[o.activation || 'tanh'], ract = NAIVE_F[o.recurrentActivation || 'linear'], H = o.units, G = rnnGates(kind);
  return (x, xo, [h, c]) => {
    const zx = new Array(G * H).fill(0); rowMatVec(x, xo, I, K.data, G * H, zx);
    if (kind === 'gru' && o.resetAfter) for (let n = 0; n < G * H; n++) zx[n] += b.data[n];
    else for (let n = 0; n < G * H; n++) zx[n] += b.data[n];
    if (kind === 'simple') { const zh = rowMatVec(h, 0, H, U.data, H, new Array(H).fill(0)); const y = zx.map((v, n) => act(v + zh[n])); return [y, [y]]; }
    if (kind === 'lstm') {
      const zh = rowMatVec(h, 0, H, U.data, 4 * H, new Array(4 * H).fill(0)); const z = zx.map((v, n) => v + zh[n]);
      const c2 = new Array(H), h2 = new Array(H);
      for (let u = 0; u < H; u++) {
        const i = ract(z[u]), f = ract(z[H + u]), g = act(z[2 * H + u]), oo = ract(z[3 * H + u]);
        c2[u] = f * c[u] + i * g; h2[u] = oo * act(c2[u]);
      }
      return [h2, [h2, c2]];
    }
    // GRU
    const h2 = new Array(H);
    const zh = rowMatVec(h, 0, H, U.data, 3 * H, new Array(3 * H).fill(0)); // h U (all three blocks)
    if (o.resetAfter) for (let n = 0; n < 3 * H; n++) zh[n] += b.data[3 * H + n];
    const z = new Array(H), r = new Array(H);
    for (let u = 0; u < H; u++) { z[u] = ract(zx[u] + zh[u]); r[u] = ract(zx[H + u] + zh[H + u]); }
    let rec;
    if (o.resetAfter) rec = range(0, H).map((u) => r[u] * zh[2 * H + u]);
    else {
      const rh = h.map((v, u) => r[u] * v); rec = new Array(H).fill(0);
      for (let n = 0; n < H; n++) for (let i = 0; i < H; i++) rec[n] += rh[i] * U.data[i * 3 * H + 2 * H + n];
    }
    for (let u = 0; u < H; u++) h2[u] = z[u] * h[u] + (1 - z[u]) * act(zx[2 * H + u] + rec[u]);
    return [h2, [h2]];
  };
}
// Generic float64 RNN loop over (B, T, ...): cellFor(b) -> (x, offset, states) -> [y, states].
function naiveRnnLoop(xv, cell, initFor, o, mask) {
  const [B, T] = xv.shape; const inner = prod(xv.shape.slice(2));
  const outs = []; const finals = [];
  for (let b = 0; b < B; b++) {
    let states = initFor(b); const seq = [];
    for (let s = 0; s < T; s++) {
      const t = o.goBackwards ? T - 1 - s : s;
      let [y, ns] = cell(xv.data, (b * T + t) * inner, states);
      if (mask && !mask[b][t]) { y = states[0].slice(); ns = states; }
      seq.push(y); states = ns;
    }
    outs.push(seq); finals.push(states);
  }
  const ysz = outs[0][0].length;
  const y = o.returnSequences ? { shape: [B, T, ...o.outInner], data: outs.flat(2) } : { shape: [B, ...o.outInner], data: outs.map((s) => s[T - 1]).flat() };
  if (y.data.length !== prod(y.shape) || ysz !== prod(o.outInner)) throw new Error('naiveRnnLoop shape');
  const nStates = finals[0].length;
  const states = range(0, nStates).map((k) => ({ shape: [B, ...o.outInner], data: finals.map((f) => f[k]).flat() }));
  return { y, states };
}
function naiveRnn(kind, o) {
  return (xs, ws, masks, init) => {
    const xv = xs[0], I = xv.shape[2], H = o.units;
    const cell = naiveRnnCell(kind, o, ws, I);
    const nS = kind === 'lstm' ? 2 : 1;
    const initFor = (b) => range(0, nS).map((k) => (init ? init[k].data.slice(b * H, (b + 1) * H) : new Array(H).fill(0)));
    const { y, states } = naiveRnnLoop(xv, cell, initFor, Object.assign({ outInner: [H] }, o), masks && masks[0]);
    return o.returnState ? [y, ...states] : [y];
  };
}

// --- the general case runner -------------------------------------------------------------
// A functional model with one InputLayer per input and the layer under test.
function kerasModelJSON(className, config, batchShapes, dtypes) {
  const ins = batchShapes.map((_, i) => `input_${i + 1}`);
  const layers = batchShapes.map((s, i) => ({
    class_name: 'InputLayer', name: ins[i], inbound_nodes: [],
    config: { batch_input_shape: s, dtype: dtypes[i], sparse: false, name: ins[i] },
  }));
  layers.push({ class_name: className, name: config.name, config, inbound_nodes: [ins.map((n) => [n, 0, 0, {}])] });
  return {
    class_name: 'Model',
    config: { name: 'model_1', layers, input_layers: ins.map((n) => [n, 0, 0]), output_layers: [[config.name, 0, 0]] },
    keras_version: '2.2.4', backend: 'tensorflow',
  };
}
const isInt = (v) => v.dtype === 'int32';
const inputJSON = (v, where) => (isInt(v) ? { shape: v.shape.slice(), data: v.data.slice(), dtype: 'int32' } : valueJSON(v, where));
const toList = (y) => (Array.isArray(y) ? y : [y]);
const boolTensor = (m) => tf.tensor(m.flat(Infinity).map((b) => (b ? 1 : 0)), [m.length, ...(Array.isArray(m[0]) ? [m[0].length] : [])], 'bool');
const maskJSON = (t) => t.arraySync().map(function toBool(v) { return Array.isArray(v) ? v.map(toBool) : Boolean(v); });
let varCounter = 0;
const freshName = (p) => `${p}_${++varCounter}`;

async function buildTfjsLayer(where, className, config, s, batchShapes, dtypes) {
  const model = await tf.models.modelFromJSON(kerasModelJSON(className, config, batchShapes, dtypes));
  const layer = model.layers[model.layers.length - 1];
  const builtJSON = model.toJSON(null, false).config.layers[model.layers.length - 1];
  if (builtJSON.class_name !== className) throw new Error(`${where}: tfjs built ${builtJSON.class_name}`);
  // s.tfjsRewrite: {key: f(value tfjs wrote) -> value compared}, a documented per-case normalisation.
  for (const [k, f] of Object.entries(s.tfjsRewrite || {})) if (k in builtJSON.config) builtJSON.config[k] = f(builtJSON.config[k]);
  verifyConfig(where, className, config, builtJSON.config, layer, s.tfjsDefaults, s.tfjsExtra);
  return layer;
}
function checkWeightShapes(where, layer, expected) {
  const got = layer.weights.map((w) => w.shape);
  if (expected && JSON.stringify(expected) !== JSON.stringify(got)) throw new Error(`${where}: tfjs weight shapes ${JSON.stringify(got)} != expected ${JSON.stringify(expected)}`);
  return got;
}
function compareWithNaive(where, ys, grads, s, xvals, weights, upstream, nonTrainable) {
  const nx = s.naive(xvals.map(cloneV), weights.map(cloneV), s.inputMasks);
  if (nx.length !== ys.length) throw new Error(where + ': naive output count');
  ys.forEach((y, k) => assertCloseValues(y, nx[k], `${where} outputs[${k}] vs float64 loops`));
  const fd = fdGrads((xv, wv) => s.naive(xv, wv, s.inputMasks), xvals.map(cloneV), weights.map(cloneV), upstream,
    xvals.map(isInt), nonTrainable);
  grads.gx.forEach((g, i) => { if (g) assertCloseValues(g, fd.gx[i], `${where} grad_inputs[${i}] vs finite differences of float64 loops`); });
  grads.gw.forEach((g, i) => { if (g) assertCloseValues(g, fd.gw[i], `${where} grad_weights[${i}] vs finite differences of float64 loops`); });
}

/**
 * kcase(family, name, spec) writes one layer case.
 * spec.className, spec.config   Keras class and get_config() written to the fixture.
 * spec.inputs(rng)              -> [value...]; a value with dtype 'int32' is an int input (no gradient).
 * spec.inputMasks               -> [mask|null...] per input (nested booleans [batch, steps]); written as
 *                                  input_masks and passed to tfjs and the reference.
 * spec.callKwargs               -> written as call_kwargs (e.g. {return_attention_scores: true}).
 * spec.tfjs === false           -> no tfjs layer (the config cannot be checked); spec.weightShapes needed.
 * spec.tfjsConfig/tfjsDefaults/tfjsExtra -> as in layerCase / verifyConfig.
 * spec.weightShapes             -> expected weight shapes (checked against tfjs when it builds the layer).
 * spec.weights(rng, shapes)     -> weight values (default uniform [-1, 1]).
 * spec.nonTrainable             -> indices of non-trainable weights when tfjs does not build the layer.
 * spec.tfjsApply(layer, xs, masks) -> [tensor...] (default layer.apply with training=false and the masks).
 * spec.reference(xs, ws, masks) -> [tensor...] from tf ops; checked against tfjs (spec.tol, 1e-5).
 * spec.useReference             -> values and gradients from the reference (tfjs wrong or missing).
 * spec.gradFromReference        -> gradients from the reference (tfjs forward right, gradient not).
 * spec.naive(xvals, wvals, masks) -> [value...] in float64: outputs must agree (relative 1e-4) and the
 *                                  gradients must agree with its central finite differences.
 * spec.outputMask(xvals)        -> value written as output_mask.
 * spec.training                 -> run in training mode; written as "training": true.
 * spec.extra(record, ctx)       -> add fields after grad_weights.
 */
async function kcase(family, name, s) {
  try { await kcaseInner(family, name, s); } catch (e) { e.message = `${family}/${name}: ${e.message}`; throw e; }
}
async function kcaseInner(family, name, s) {
  const where = family + '/' + name;
  const rng = rngFor(family, name);
  const xvals = s.inputs(rng);
  let layer = null, shapes = s.weightShapes || [];
  const batchShapes = xvals.map((v) => [null, ...v.shape.slice(1)]), dtypes = xvals.map((v) => v.dtype || 'float32');
  const cfgOf = (c) => (typeof c === 'function' ? c(s.config) : c);
  if (s.tfjs !== false) {
    layer = await buildTfjsLayer(where, s.className, cfgOf(s.tfjsConfig) || s.config, s, batchShapes, dtypes);
    shapes = checkWeightShapes(where, layer, s.weightShapes);
  } else if (!s.reference) throw new Error(where + ': no tfjs layer and no reference');
  // tfjs cannot build this config: a twin it can build checks the other keys only.
  if (s.tfjsCheckOnly) await buildTfjsLayer(where, s.className, cfgOf(s.tfjsCheckOnly), s, batchShapes, dtypes);
  const weights = s.weights ? s.weights(rng, shapes) : shapes.map((sh) => uniform(rng, sh, -1, 1));
  if (layer && weights.length) layer.setWeights(weights.map(T));
  const nonTrainable = layer ? layer.weights.map((w) => !w.trainable) : shapes.map((_, i) => (s.nonTrainable || []).includes(i));
  const useRef = !layer || !!s.useReference;
  const record = { kind: 'layer', name, config: { class_name: s.className, config: s.config } };
  const toDispose = [];
  tf.tidy(() => {
    const xT = xvals.map((v) => (isInt(v) ? tf.tensor(Int32Array.from(v.data), v.shape, 'int32') : tf.variable(T(v), true, freshName('x'))));
    const wT = layer ? layer.weights.map((w) => w.read()) : weights.map((w, i) => tf.variable(T(w), !nonTrainable[i], freshName('w')));
    toDispose.push(...xT.filter((t, i) => !isInt(xvals[i])));
    if (!layer) toDispose.push(...wT);
    const masksT = s.inputMasks ? s.inputMasks.map((m) => (m == null ? null : boolTensor(m))) : null;
    const tfjsFwd = () => toList(s.tfjsApply ? s.tfjsApply(layer, xT, masksT)
      : layer.apply(xT.length === 1 ? xT[0] : xT, Object.assign({ training: !!s.training }, masksT ? { mask: masksT.length === 1 ? masksT[0] : masksT } : {})));
    const refFwd = () => toList(s.reference(xT, wT, s.inputMasks));
    const ys = useRef ? refFwd() : tfjsFwd();
    if (layer && s.reference && !useRef) {
      const r = refFwd();
      ys.forEach((y, k) => assertClose(y, r[k], `${where} tfjs vs formula (output ${k})`, s.tol));
    }
    const upstream = ys.map((y) => uniform(rng, y.shape));
    const ups = upstream.map(T);
    const gradFwd = (s.gradFromReference || useRef) ? refFwd : tfjsFwd;
    const gx = xT.map((t, i) => (isInt(xvals[i]) ? null : t));
    const gw = wT.map((t, i) => (nonTrainable[i] ? null : t));
    const vars = [...gx, ...gw].filter((t) => t);
    const lossOf = (outs) => outs.map((y, k) => tf.sum(tf.mul(y, ups[k]))).reduce((a, b) => tf.add(a, b));
    const { grads } = tf.variableGrads(() => lossOf(gradFwd()), vars);
    const g = { gx: gx.map((t) => (t ? grads[t.name] : null)), gw: gw.map((t) => (t ? grads[t.name] : null)) };
    if (DIAG && layer && (useRef || s.gradFromReference)) {
      let msg;
      try {
        const yt = tfjsFwd(); msg = 'forward max|diff| = ' + yt.map((y, k) => maxAbsDiff(y, ys[k]).toExponential(2)).join(', ');
        try {
          const gt = tf.variableGrads(() => lossOf(tfjsFwd()), vars).grads;
          msg += '; grads max|diff| = ' + vars.map((v) => maxAbsDiff(gt[v.name], grads[v.name]).toExponential(2)).join(', ');
        } catch (e) { msg += '; tfjs gradient throws: ' + e.message.split('\n')[0]; }
      } catch (e) { msg = 'tfjs throws: ' + e.message.split('\n')[0]; }
      console.error(`DIAG ${where}: tfjs layer vs reference: ${msg}`);
    }
    if (s.naive) compareWithNaive(where, ys, g, s, xvals, weights, upstream, nonTrainable);
    record.inputs = xvals.map((v) => inputJSON(v, name + ' inputs'));
    if (s.inputMasks) record.input_masks = s.inputMasks;
    if (s.callKwargs) record.call_kwargs = s.callKwargs;
    if (s.training) record.training = true;
    record.weights = weights.map((w) => valueJSON(w, name + ' weights'));
    record.outputs = ys.map((y) => tensorJSON(y, name + ' outputs'));
    if (s.outputMask) record.output_mask = s.outputMask(xvals, layer, xT);
    record.upstream = upstream.map((u) => valueJSON(u, name + ' upstream'));
    record.grad_inputs = g.gx.map((t) => (t ? tensorJSON(t, name + ' grad_inputs') : null));
    record.grad_weights = g.gw.map((t) => (t ? tensorJSON(t, name + ' grad_weights') : null));
    if (s.extra) s.extra(record, { xvals, weights, xT, wT, layer, ys });
  });
  tf.dispose(toDispose);
  writeCase(family, name, record);
}

// --- family recurrent ---------------------------------------------------------------------
// ConvLSTM2D step with tf ops (channels_last): input conv with the layer's strides/padding/
// dilation, recurrent conv stride 1 'same', gates i, f, c, o in blocks of `filters` channels.
function tfConvLstmRef(o) {
  const act = ACT[o.activation], ract = ACT[o.recurrentActivation], F = o.filters;
  const blk = (z, k) => tf.slice(z, [0, 0, 0, k * F], [-1, -1, -1, F]);
  return (xs, [K, U, b]) => {
    const x = xs[0], [B, , H, W] = x.shape;
    const kh = K.shape[0], kw = K.shape[1];
    const oh = windowGeom(H, kh, o.strides[0], 1, o.padding).out, ow = windowGeom(W, kw, o.strides[1], 1, o.padding).out;
    const zero = tf.zeros([B, oh, ow, F]);
    const step = (xt, [h, c]) => {
      const z = tf.add(tf.add(tf.conv2d(xt, K, o.strides, o.padding), b), tf.conv2d(h, U, 1, 'same'));
      const i = ract(blk(z, 0)), f = ract(blk(z, 1)), oo = ract(blk(z, 3));
      const c2 = tf.add(tf.mul(f, c), tf.mul(i, act(blk(z, 2))));
      const h2 = tf.mul(oo, act(c2));
      return [h2, [h2, c2]];
    };
    const { y, states } = tfRnnLoop(x, step, [zero, zero], o, null);
    return o.returnState ? [y, ...states] : [y];
  };
}
function naiveConvLstm(o) {
  const act = NAIVE_F[o.activation], ract = NAIVE_F[o.recurrentActivation], F = o.filters;
  return ([xv], [K, U, b]) => {
    const [B, Tn, H, W, C] = xv.shape; const ks = K.shape.slice(0, 2);
    const inOp = convOp([1, H, W, C], 'conv', ks, 4 * F, o.strides, [1, 1], o.padding);
    const [, oh, ow] = inOp.outShape;
    const recOp = convOp([1, oh, ow, F], 'conv', ks, 4 * F, [1, 1], [1, 1], 'same');
    const n = oh * ow;
    const cell = (x, xo, [h, c]) => {
      const zx = sparseApply(inOp.op, x.slice(xo, xo + H * W * C), K.data);
      const zh = sparseApply(recOp.op, h, U.data);
      const h2 = new Array(n * F), c2 = new Array(n * F);
      for (let p = 0; p < n; p++) {
        for (let u = 0; u < F; u++) {
          const z = (k) => zx[p * 4 * F + k * F + u] + zh[p * 4 * F + k * F + u] + b.data[k * F + u];
          const q = p * F + u;
          c2[q] = ract(z(1)) * c[q] + ract(z(0)) * act(z(2));
          h2[q] = ract(z(3)) * act(c2[q]);
        }
      }
      return [h2, [h2, c2]];
    };
    const initFor = () => [new Array(n * F).fill(0), new Array(n * F).fill(0)];
    const { y, states } = naiveRnnLoop(xv, cell, initFor, Object.assign({ outInner: [oh, ow, F] }, o), null);
    if (Tn < 1) throw new Error('empty sequence');
    return o.returnState ? [y, ...states] : [y];
  };
}
// Bidirectional: forward weights then backward weights (Keras get_weights order). The backward
// layer runs with go_backwards flipped; with return_sequences its output is reversed in time
// before merging. merge_mode null returns [forward, backward]; return_state appends the forward
// states then the backward states.
function bidiMerge(mode, a, b, ops) {
  if (mode === 'concat') return [ops.concat(a, b)];
  if (mode === 'sum') return [ops.add(a, b)];
  if (mode === 'mul') return [ops.mul(a, b)];
  if (mode === 'ave') return [ops.ave(a, b)];
  return [a, b];
}
const TF_MERGE_OPS = { concat: (a, b) => tf.concat([a, b], -1), add: tf.add, mul: tf.mul, ave: (a, b) => tf.div(tf.add(a, b), 2) };
function naiveConcatLast(a, b) {
  const ca = a.shape[a.shape.length - 1], cb = b.shape[b.shape.length - 1], rows = a.data.length / ca; const data = [];
  for (let r = 0; r < rows; r++) data.push(...a.data.slice(r * ca, (r + 1) * ca), ...b.data.slice(r * cb, (r + 1) * cb));
  return { shape: [...a.shape.slice(0, -1), ca + cb], data };
}
const NAIVE_MERGE_OPS = {
  concat: naiveConcatLast,
  add: (a, b) => ({ shape: a.shape, data: a.data.map((v, i) => v + b.data[i]) }),
  mul: (a, b) => ({ shape: a.shape, data: a.data.map((v, i) => v * b.data[i]) }),
  ave: (a, b) => ({ shape: a.shape, data: a.data.map((v, i) => (v + b.data[i]) / 2) }),
};
function bidiRef(kind, o, mode) {
  const back = Object.assign({}, o, { goBackwards: !o.goBackwards });
  return (xs, ws, masks) => {
    const n = ws.length / 2;
    const f = tfRnnRef(kind, o)(xs, ws.slice(0, n), masks), r = tfRnnRef(kind, back)(xs, ws.slice(n), masks);
    const yr = o.returnSequences ? tf.reverse(r[0], 1) : r[0];
    return [...bidiMerge(mode, f[0], yr, TF_MERGE_OPS), ...f.slice(1), ...r.slice(1)];
  };
}
function bidiNaive(kind, o, mode) {
  const back = Object.assign({}, o, { goBackwards: !o.goBackwards });
  return (xs, ws, masks) => {
    const n = ws.length / 2;
    const f = naiveRnn(kind, o)(xs, ws.slice(0, n), masks), r = naiveRnn(kind, back)(xs, ws.slice(n), masks);
    const yr = o.returnSequences ? reverseTime(r[0]) : r[0];
    return [...bidiMerge(mode, f[0], yr, NAIVE_MERGE_OPS), ...f.slice(1), ...r.slice(1)];
  };
}
// Inputs whose masked timesteps are all-zero, so the mask equals Masking(mask_value=0)'s.
function maskedSequence(rng, shape, mask) {
  const v = uniform(rng, shape); const [B, T] = shape; const inner = prod(shape.slice(2));
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) if (!mask[b][t]) for (let k = 0; k < inner; k++) v.data[(b * T + t) * inner + k] = 0;
  return v;
}

async function genRecurrent() {
  const F = 'recurrent';
  // Keras 2.2.4 defaults are hard_sigmoid / reset_after=false, tf.keras 2.x sigmoid / true:
  // every config here writes activation, recurrent_activation and reset_after explicitly.
  const rnn = async (name, kind, o, shape, extra = {}) => {
    const cfg = rnnConfig(kind, kerasName(RNN_SNAKE[kind]), o);
    const tfjsRefuses = kind === 'gru' && o.resetAfter; // tfjs 4.22: "GRUCell does not support reset_after parameter set to true"
    await kcase(F, name, Object.assign({
      className: RNN_CLASS[kind], config: cfg,
      inputs: (rng) => [uniform(rng, shape)],
      weightShapes: rnnWeightShapes(kind, shape[2], o),
      reference: tfRnnRef(kind, o), naive: naiveRnn(kind, o),
      tfjs: !tfjsRefuses,
      tfjsCheckOnly: tfjsRefuses ? Object.assign({}, cfg, { reset_after: false }) : undefined,
    }, extra));
  };
  const S = [2, 5, 3];
  await rnn('simple_rnn_tanh', 'simple', { units: 4, activation: 'tanh' }, S);
  await rnn('simple_rnn_tanh_seq', 'simple', { units: 4, activation: 'tanh', returnSequences: true }, S);
  await rnn('simple_rnn_relu_seq', 'simple', { units: 3, activation: 'relu', returnSequences: true }, S);
  await rnn('simple_rnn_tanh_backwards_seq', 'simple', { units: 4, activation: 'tanh', returnSequences: true, goBackwards: true }, S);
  await rnn('simple_rnn_return_state', 'simple', { units: 3, activation: 'tanh', returnState: true }, S);
  await rnn('gru_hard_sigmoid_seq', 'gru', { units: 4, activation: 'tanh', recurrentActivation: 'hard_sigmoid', returnSequences: true }, S);
  await rnn('gru_sigmoid', 'gru', { units: 4, activation: 'tanh', recurrentActivation: 'sigmoid' }, S);
  await rnn('gru_sigmoid_backwards', 'gru', { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: true }, S);
  await rnn('gru_reset_after_sigmoid_seq', 'gru', { units: 4, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true, returnSequences: true }, S);
  await rnn('gru_reset_after_hard_sigmoid', 'gru', { units: 3, activation: 'tanh', recurrentActivation: 'hard_sigmoid', resetAfter: true }, S);
  await rnn('gru_reset_after_return_state_seq', 'gru', { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true, returnSequences: true, returnState: true }, S);
  await rnn('gru_return_state_seq', 'gru', { units: 3, activation: 'tanh', recurrentActivation: 'hard_sigmoid', returnSequences: true, returnState: true }, S);
  await rnn('lstm_sigmoid_seq', 'lstm', { units: 4, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true }, S);
  await rnn('lstm_hard_sigmoid', 'lstm', { units: 4, activation: 'tanh', recurrentActivation: 'hard_sigmoid' }, S);
  await rnn('lstm_sigmoid_no_unit_forget_bias', 'lstm', { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', unitForgetBias: false }, S);
  await rnn('lstm_hard_sigmoid_backwards_seq', 'lstm', { units: 3, activation: 'tanh', recurrentActivation: 'hard_sigmoid', returnSequences: true, goBackwards: true }, S);
  await rnn('lstm_sigmoid_return_state', 'lstm', { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', returnState: true }, S);
  await rnn('lstm_hard_sigmoid_return_state_seq', 'lstm', { units: 2, activation: 'tanh', recurrentActivation: 'hard_sigmoid', returnSequences: true, returnState: true }, S);

  // Masking(mask_value=0) -> LSTM, written as LSTM cases with an explicit input mask. The masked
  // timesteps of the input are all-zero, so the mask is exactly Masking(0.0)'s output mask:
  // batch 0 has steps 1 and 4 masked (the last output is carried forward), batch 1 step 0 (the
  // first output is the zero initial state).
  const MASK = [[true, false, true, true, false], [false, true, true, true, true]];
  for (const [name, kind, o] of [
    ['lstm_masked_seq', 'lstm', { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true }],
    ['lstm_masked', 'lstm', { units: 3, activation: 'tanh', recurrentActivation: 'hard_sigmoid' }],
    ['lstm_masked_backwards_return_state', 'lstm', { units: 2, activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: true, returnState: true }],
    ['gru_masked_seq', 'gru', { units: 3, activation: 'tanh', recurrentActivation: 'hard_sigmoid', returnSequences: true }],
    ['gru_reset_after_masked_seq', 'gru', { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true, returnSequences: true }],
    ['simple_rnn_masked_seq', 'simple', { units: 3, activation: 'tanh', returnSequences: true }],
  ]) {
    await rnn(name, kind, o, S, { inputs: (rng) => [maskedSequence(rng, S, MASK)], inputMasks: [MASK] });
  }

  await genStateful(F);

  // Bidirectional(LSTM/GRU/SimpleRNN): every merge mode.
  const bidi = async (name, kind, o, mode, shape, extra = {}) => {
    const inner = rnnConfig(kind, kerasName(RNN_SNAKE[kind]), o);
    const cfg = { name: kerasName('bidirectional'), trainable: true, layer: { class_name: RNN_CLASS[kind], config: inner }, merge_mode: mode };
    const ws = rnnWeightShapes(kind, shape[2], o);
    await kcase(F, name, Object.assign({
      className: 'Bidirectional', config: cfg, inputs: (rng) => [uniform(rng, shape)],
      weightShapes: [...ws, ...ws], reference: bidiRef(kind, o, mode), naive: bidiNaive(kind, o, mode),
    }, extra));
  };
  await bidi('bidirectional_lstm_concat_seq', 'lstm', { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true }, 'concat', S);
  await bidi('bidirectional_lstm_concat', 'lstm', { units: 3, activation: 'tanh', recurrentActivation: 'hard_sigmoid' }, 'concat', S);
  await bidi('bidirectional_gru_sum_seq', 'gru', { units: 3, activation: 'tanh', recurrentActivation: 'hard_sigmoid', returnSequences: true }, 'sum', S);
  await bidi('bidirectional_simple_rnn_mul_seq', 'simple', { units: 3, activation: 'tanh', returnSequences: true }, 'mul', S);
  await bidi('bidirectional_lstm_ave', 'lstm', { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid' }, 'ave', S);
  await bidi('bidirectional_gru_none_seq', 'gru', { units: 2, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true }, null, S);
  await bidi('bidirectional_lstm_concat_masked_seq', 'lstm', { units: 2, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true }, 'concat', S,
    { inputs: (rng) => [maskedSequence(rng, S, MASK)], inputMasks: [MASK] });

  // TimeDistributed(Dense), TimeDistributed(Conv2D): the inner layer on every timestep.
  const tdDense = denseConfig('dense_5', 4, 'tanh', true);
  await kcase(F, 'time_distributed_dense', {
    className: 'TimeDistributed', config: { name: kerasName('time_distributed'), trainable: true, layer: { class_name: 'Dense', config: tdDense } },
    inputs: (rng) => [uniform(rng, [2, 4, 3])], weightShapes: [[3, 4], [4]],
    reference: ([x], [k, b]) => [tf.reshape(tf.tanh(tf.add(tf.matMul(tf.reshape(x, [-1, 3]), k), b)), [2, 4, 4])],
    naive: ([x], [k, b]) => {
      const rows = x.data.length / 3, data = [];
      for (let r = 0; r < rows; r++) data.push(...rowMatVec(x.data, r * 3, 3, k.data, 4, b.data.slice()).map(Math.tanh));
      return [{ shape: [2, 4, 4], data }];
    },
  });
  const tdConv = convConfig(kerasName('conv2d'), 2, { filters: 2, kernel: 3, padding: 'valid', activation: 'relu' });
  await kcase(F, 'time_distributed_conv2d', {
    className: 'TimeDistributed', config: { name: kerasName('time_distributed'), trainable: true, layer: { class_name: 'Conv2D', config: tdConv } },
    inputs: (rng) => [uniform(rng, [2, 3, 5, 5, 2])], weightShapes: [[3, 3, 2, 2], [2]],
    reference: ([x], [k, b]) => [tf.reshape(tf.relu(tf.add(tf.conv2d(tf.reshape(x, [6, 5, 5, 2]), k, 1, 'valid'), b)), [2, 3, 3, 3, 2])],
    naive: ([x], [k, b]) => {
      const { op } = convOp([6, 5, 5, 2], 'conv', [3, 3], 2, [1, 1], [1, 1], 'valid');
      const z = sparseApply(op, x.data, k.data);
      return [{ shape: [2, 3, 3, 3, 2], data: z.map((v, i) => Math.max(0, v + b.data[i % 2])) }];
    },
  });

  // Embedding: int32 ids, gradient for the embeddings only (a scatter-add; ids repeat).
  const embCfg = (maskZero) => ({
    name: kerasName('embedding'), trainable: true, input_dim: 10, output_dim: 3,
    embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
    embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, mask_zero: maskZero, input_length: null,
  });
  const ids = (rng, zeros) => {
    const data = range(0, 10).map(() => 1 + Math.floor(rng() * 9));
    data[7] = data[2]; // a repeated id: its gradient rows add up
    if (zeros) { data[3] = 0; data[4] = 0; data[9] = 0; } else { data[5] = 0; } // id 0 is an ordinary row without mask_zero
    return { shape: [2, 5], data, dtype: 'int32' };
  };
  const embNaive = ([x], [e]) => [{ shape: [2, 5, 3], data: x.data.flatMap((i) => e.data.slice(i * 3, i * 3 + 3)) }];
  for (const maskZero of [false, true]) {
    await kcase(F, maskZero ? 'embedding_mask_zero' : 'embedding', {
      className: 'Embedding', config: embCfg(maskZero), inputs: (rng) => [ids(rng, maskZero)], weightShapes: [[10, 3]],
      tfjsExtra: { batch_input_shape: [null, null] }, // Keras writes it too (Embedding always has an input shape); left out here like everywhere
      reference: ([x], [e]) => [tf.gather(e, x)], naive: embNaive,
      outputMask: maskZero ? (xvals, layer, xT) => {
        const m = maskJSON(layer.computeMask(xT[0]));
        const f = range(0, 2).map((b) => xvals[0].data.slice(b * 5, b * 5 + 5).map((i) => i !== 0));
        if (JSON.stringify(m) !== JSON.stringify(f)) throw new Error('embedding mask: tfjs vs ids != 0');
        return f;
      } : undefined,
    });
  }

  // ConvLSTM2D (tfjs has it): 3 steps of 5x5x2, 2 filters, kernel 3.
  const convLstm = async (name, o) => {
    const cfg = Object.assign(rnnBase(kerasName('conv_lst_m2d'), o), {
      filters: o.filters, kernel_size: [3, 3], strides: o.strides, padding: o.padding, data_format: 'channels_last', dilation_rate: [1, 1],
      activation: o.activation, recurrent_activation: o.recurrentActivation, use_bias: true,
      kernel_initializer: KERAS_GLOROT_UNIFORM, recurrent_initializer: KERAS_ORTHOGONAL, bias_initializer: KERAS_ZEROS, unit_forget_bias: true,
      kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null,
      kernel_constraint: null, recurrent_constraint: null, bias_constraint: null, dropout: 0.0, recurrent_dropout: 0.0,
    });
    await kcase(F, name, {
      className: 'ConvLSTM2D', config: cfg, inputs: (rng) => [uniform(rng, [2, 3, 5, 5, 2])],
      weightShapes: [[3, 3, 2, 4 * o.filters], [3, 3, o.filters, 4 * o.filters], [4 * o.filters]],
      weights: (rng, shapes) => shapes.map((s) => uniform(rng, s, -0.5, 0.5)),
      reference: tfConvLstmRef(o), naive: naiveConvLstm(o),
      tfjsExtra: { implementation: null }, // tfjs serialises its own (unused) LSTM option; Keras 2.2.4 ConvLSTM2D has none
    });
  };
  await convLstm('conv_lstm2d_same_seq', { filters: 2, strides: [1, 1], padding: 'same', activation: 'tanh', recurrentActivation: 'hard_sigmoid', returnSequences: true });
  await convLstm('conv_lstm2d_valid', { filters: 2, strides: [1, 1], padding: 'valid', activation: 'tanh', recurrentActivation: 'sigmoid' });
  await convLstm('conv_lstm2d_same_return_state', { filters: 2, strides: [1, 1], padding: 'same', activation: 'tanh', recurrentActivation: 'sigmoid', returnState: true });
}

// Stateful LSTM over two consecutive batches. Schema: "batches": [{inputs, outputs, upstream,
// grad_inputs, grad_weights, states}], states = the layer's states [h, c] after that batch (the
// initial states of the next). Each batch's gradients treat its initial states as constants
// (Keras does not backpropagate across batches).
async function genStateful(F) {
  const name = 'lstm_stateful_two_batches';
  const where = F + '/' + name;
  const o = { units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true, stateful: true };
  const shape = [2, 3, 3];
  const cfg = rnnConfig('lstm', kerasName('lstm'), o);
  const rng = rngFor(F, name);
  const xs = [uniform(rng, shape), uniform(rng, shape)];
  const layer = await buildTfjsLayer(where, 'LSTM', cfg, {}, [shape], ['float32']);
  checkWeightShapes(where, layer, rnnWeightShapes('lstm', 3, o));
  const weights = layer.weights.map((w) => uniform(rng, w.shape, -1, 1));
  layer.setWeights(weights.map(T));
  const ref = tfRnnRef('lstm', Object.assign({}, o, { returnState: true }));
  const naive = naiveRnn('lstm', Object.assign({}, o, { returnState: true }));
  const batches = [];
  let init = null; // float32 values of the states after the previous batch
  for (let bi = 0; bi < 2; bi++) {
    tf.tidy(() => {
      const xVar = tf.variable(T(xs[bi]), true, freshName('x'));
      const wT = layer.weights.map((w) => w.read());
      const initT = init ? init.map(T) : null;
      const tfjsY = layer.apply(xVar); // tfjs keeps the states between calls
      const [y, h, c] = ref([xVar], wT, null, initT);
      assertClose(tfjsY, y, `${where} batch ${bi}: tfjs stateful vs formula`);
      const tfjsStates = layer.states.map((s) => detached(s));
      assertClose(tfjsStates[0], h, `${where} batch ${bi}: tfjs h`); assertClose(tfjsStates[1], c, `${where} batch ${bi}: tfjs c`);
      const upstream = uniform(rng, y.shape); const up = T(upstream);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(ref([xVar], wT, null, initT)[0], up)), [xVar, ...wT]);
      const n = (xv, wv) => [naive(xv, wv, null, init)[0]];
      const ny = naive([cloneV(xs[bi])], weights.map(cloneV), null, init);
      assertCloseValues(y, ny[0], `${where} batch ${bi} outputs vs float64 loops`);
      const fd = fdGrads((xv, wv) => n(xv, wv), [cloneV(xs[bi])], weights.map(cloneV), [upstream], [false], weights.map(() => false));
      assertCloseValues(grads[xVar.name], fd.gx[0], `${where} batch ${bi} grad_inputs vs finite differences`);
      wT.forEach((w, i) => assertCloseValues(grads[w.name], fd.gw[i], `${where} batch ${bi} grad_weights[${i}] vs finite differences`));
      batches.push({
        inputs: [valueJSON(xs[bi], name + ' inputs')], outputs: [tensorJSON(y, name + ' outputs')],
        upstream: [valueJSON(upstream, name + ' upstream')], grad_inputs: [tensorJSON(grads[xVar.name], name + ' grad_inputs')],
        grad_weights: wT.map((w) => tensorJSON(grads[w.name], name + ' grad_weights')),
        states: [tensorJSON(h, name + ' states'), tensorJSON(c, name + ' states')],
      });
      init = [h, c].map((t) => ({ shape: t.shape.slice(), data: Array.from(t.dataSync()) }));
      tf.dispose(xVar);
    });
  }
  writeCase(F, name, { kind: 'layer', name, config: { class_name: 'LSTM', config: cfg }, weights: weights.map((w) => valueJSON(w, name + ' weights')), batches });
}

// --- family merge ---------------------------------------------------------------------------
// Keras 2 _Merge: non-batch shapes must broadcast right-aligned; inputs of lower rank are
// expanded at axis 1 (after the batch axis) until all ranks agree, then numpy broadcasting.
function tfKerasBroadcast(xs) {
  const r = Math.max(...xs.map((x) => x.rank));
  const ex = xs.map((x) => { let y = x; while (y.rank < r) y = tf.expandDims(y, 1); return y; });
  const out = range(0, r).map((d) => Math.max(...ex.map((y) => y.shape[d])));
  return ex.map((y) => tf.broadcastTo(y, out)); // explicit: tfjs max/min gradients do not reduce broadcast dims
}
function naiveElementwise(vals, f) {
  const r = Math.max(...vals.map((v) => v.shape.length));
  const ex = vals.map((v) => { const s = v.shape.slice(); while (s.length < r) s.splice(1, 0, 1); return { shape: s, data: v.data }; });
  const out = range(0, r).map((d) => Math.max(...ex.map((v) => v.shape[d])));
  const data = [];
  forEachIndex(out, (oi) => {
    data.push(f(ex.map((v) => { let o = 0; for (let d = 0; d < r; d++) o = o * v.shape[d] + (v.shape[d] === 1 ? 0 : oi[d]); return v.data[o]; })));
  });
  return { shape: out, data };
}
// Inputs whose values at each (broadcast) position are pairwise more than 0.02 apart: no ties.
function noTieInputs(rng, shapes) {
  for (;;) {
    const vals = shapes.map((s) => uniform(rng, s));
    const gap = naiveElementwise(vals, (a) => { let m = Infinity; for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) m = Math.min(m, Math.abs(a[i] - a[j])); return m; });
    if (Math.min(...gap.data) > 0.02) return vals;
  }
}
function l2NormalizeTf(x, axis) {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
}
function naiveL2Normalize(v, axis) {
  const shape = v.shape, st = stridesOf(shape), data = v.data.slice();
  forEachIndex(shape, (idx, f) => {
    if (idx[axis] !== 0) return;
    let s = 0; for (let i = 0; i < shape[axis]; i++) s += v.data[f + i * st[axis]] ** 2;
    const inv = 1 / Math.sqrt(Math.max(s, 1e-12));
    for (let i = 0; i < shape[axis]; i++) data[f + i * st[axis]] = v.data[f + i * st[axis]] * inv;
  });
  return { shape: shape.slice(), data };
}
// Keras 2 Dot = K.batch_dot(x, y, axes): contract x's axis a with y's axis b per sample; the
// output has x's remaining axes then y's; a 2-D . 2-D result is (batch, 1).
function naiveBatchDot(x, y, [a, b]) {
  const xs = x.shape, ys = y.shape, B = xs[0], n = xs[a];
  const xr = range(1, xs.length).filter((d) => d !== a), yr = range(1, ys.length).filter((d) => d !== b);
  const outInner = [...xr.map((d) => xs[d]), ...yr.map((d) => ys[d])];
  const outShape = outInner.length ? [B, ...outInner] : [B, 1];
  const sx = stridesOf(xs), sy = stridesOf(ys); const data = [];
  for (let bb = 0; bb < B; bb++) {
    forEachIndex(outInner.length ? outInner : [1], (oi) => {
      let s = 0;
      for (let k = 0; k < n; k++) {
        let fx = bb * sx[0] + k * sx[a], fy = bb * sy[0] + k * sy[b];
        xr.forEach((d, i) => { fx += oi[i] * sx[d]; });
        yr.forEach((d, i) => { fy += oi[xr.length + i] * sy[d]; });
        s += x.data[fx] * y.data[fy];
      }
      data.push(s);
    });
  }
  return { shape: outShape, data };
}
function naiveConcat(vals, axis) {
  const r = vals[0].shape.length, ax = axis < 0 ? axis + r : axis;
  const outShape = vals[0].shape.slice(); outShape[ax] = vals.reduce((s, v) => s + v.shape[ax], 0);
  const data = [];
  forEachIndex(outShape, (oi) => {
    let i = oi[ax], k = 0; while (i >= vals[k].shape[ax]) { i -= vals[k].shape[ax]; k++; }
    const idx = oi.slice(); idx[ax] = i; const st = stridesOf(vals[k].shape);
    data.push(vals[k].data[idx.reduce((s, q, d) => s + q * st[d], 0)]);
  });
  return { shape: outShape, data };
}

async function genMerge() {
  const F = 'merge';
  const merge = async (name, cls, snake, shapes, fn, naiveFn, extra = {}) => {
    await kcase(F, name, Object.assign({
      className: cls, config: Object.assign({ name: kerasName(snake), trainable: true }, extra.cfg || {}),
      inputs: (rng) => shapes.map((s) => uniform(rng, s)),
      reference: (xs) => [fn(tfKerasBroadcast(xs))],
      naive: (xs) => [naiveFn(xs)],
    }, extra));
  };
  const elem = (f) => (xs) => naiveElementwise(xs, f);
  const sumAll = (xs) => xs.reduce((a, b) => tf.add(a, b));
  const A = [2, 3, 4];
  await merge('add_2x3x4_x2', 'Add', 'add', [A, A], sumAll, elem((a) => a.reduce((s, v) => s + v, 0)));
  await merge('add_2x3x4_x3', 'Add', 'add', [A, A, A], sumAll, elem((a) => a.reduce((s, v) => s + v, 0)));
  await merge('add_bcast_2x3x4_2x1x4', 'Add', 'add', [A, [2, 1, 4]], sumAll, elem((a) => a[0] + a[1]));
  await merge('add_rank_2x3x4_2x4', 'Add', 'add', [A, [2, 4]], sumAll, elem((a) => a[0] + a[1]));
  // tfjs 4.22 has no Subtract layer: inputs[0] - inputs[1].
  await merge('subtract_2x3x4', 'Subtract', 'subtract', [A, A], ([a, b]) => tf.sub(a, b), elem((a) => a[0] - a[1]), { tfjs: false, weightShapes: [] });
  await merge('subtract_bcast_2x3x4_2x1x4', 'Subtract', 'subtract', [A, [2, 1, 4]], ([a, b]) => tf.sub(a, b), elem((a) => a[0] - a[1]), { tfjs: false, weightShapes: [] });
  const mulAll = (xs) => xs.reduce((a, b) => tf.mul(a, b));
  const prodN = elem((a) => a.reduce((s, v) => s * v, 1));
  await merge('multiply_2x3x4_x2', 'Multiply', 'multiply', [A, A], mulAll, prodN);
  await merge('multiply_2x3x4_x3', 'Multiply', 'multiply', [A, A, A], mulAll, prodN);
  await merge('multiply_bcast_2x3x4_2x1x4', 'Multiply', 'multiply', [A, [2, 1, 4]], mulAll, prodN);
  await merge('multiply_rank_2x3x4_2x4', 'Multiply', 'multiply', [A, [2, 4]], mulAll, prodN);
  await merge('average_2x3x4_x2', 'Average', 'average', [A, A], (xs) => tf.div(sumAll(xs), xs.length), elem((a) => a.reduce((s, v) => s + v, 0) / a.length));
  await merge('average_2x3x4_x3', 'Average', 'average', [A, A, A], (xs) => tf.div(sumAll(xs), xs.length), elem((a) => a.reduce((s, v) => s + v, 0) / a.length));
  for (const [cls, snake, tfOp, f] of [['Maximum', 'maximum', tf.maximum, Math.max], ['Minimum', 'minimum', tf.minimum, Math.min]]) {
    const red = (xs) => xs.reduce((a, b) => tfOp(a, b));
    await merge(`${snake}_2x3x4_x2`, cls, snake, [A, A], red, elem((a) => f(...a)), { inputs: (rng) => noTieInputs(rng, [A, A]) });
    await merge(`${snake}_2x3x4_x3`, cls, snake, [A, A, A], red, elem((a) => f(...a)), { inputs: (rng) => noTieInputs(rng, [A, A, A]) });
  }
  // Concatenate.
  const concat = async (name, axis, shapes) => {
    await kcase(F, name, {
      className: 'Concatenate', config: { name: kerasName('concatenate'), trainable: true, axis },
      inputs: (rng) => shapes.map((s) => uniform(rng, s)),
      reference: (xs) => [tf.concat(xs, axis)], naive: (xs) => [naiveConcat(xs, axis)],
    });
  };
  await concat('concatenate_axis_neg1', -1, [[2, 3, 4], [2, 3, 2]]);
  await concat('concatenate_axis1', 1, [[2, 3, 4], [2, 2, 4]]);
  await concat('concatenate_axis1_x3_2d', 1, [[2, 3], [2, 1], [2, 4]]);
  // Dot.
  const dot = async (name, axes, normalize, shapes) => {
    const ax = Array.isArray(axes) ? axes : [axes, axes];
    await kcase(F, name, {
      className: 'Dot', config: { name: kerasName('dot'), trainable: true, axes, normalize },
      inputs: (rng) => shapes.map((s) => uniform(rng, s)),
      reference: ([a, b]) => {
        const x = normalize ? l2NormalizeTf(a, ax[0]) : a, y = normalize ? l2NormalizeTf(b, ax[1]) : b;
        if (x.rank === 2) return [tf.sum(tf.mul(x, y), 1, true)];
        return [tf.matMul(x, y, ax[0] === 1, ax[1] === 2)];
      },
      naive: ([a, b]) => [naiveBatchDot(normalize ? naiveL2Normalize(a, ax[0]) : a, normalize ? naiveL2Normalize(b, ax[1]) : b, ax)],
    });
  };
  await dot('dot_axes1_2d', 1, false, [[2, 5], [2, 5]]);
  await dot('dot_axes1_normalize_2d', 1, true, [[2, 5], [2, 5]]);
  await dot('dot_axes1_3d', 1, false, [[2, 3, 4], [2, 3, 5]]);
  await dot('dot_axes_2_1_3d', [2, 1], false, [[2, 3, 4], [2, 4, 5]]);
  await dot('dot_axes_2_1_normalize_3d', [2, 1], true, [[2, 3, 4], [2, 4, 5]]);
  await dot('dot_axes_2_2_normalize_3d', [2, 2], true, [[2, 3, 4], [2, 5, 4]]);
}

// --- family activation ------------------------------------------------------------------------
// Like activationInput, with the kinks given: 0.03 either side of each, the rest >= 0.02 away.
function kinkInput(rng, shape, kinks) {
  const n = prod(shape); const vals = [];
  for (const k of kinks) vals.push(k - 0.03, k + 0.03);
  if (vals.length > n) throw new Error('kink input too small');
  while (vals.length < n) { const v = -3 + 6 * rng(); if (kinks.every((k) => Math.abs(v - k) > 0.02)) vals.push(v); }
  return { shape: shape.slice(), data: shuffle(rng, vals).map(f32) };
}
const naiveMap = (f) => ([x], ws) => [{ shape: x.shape.slice(), data: x.data.map((v, i) => f(v, i, ws)) }];
const naiveKerasRelu = (alpha, maxValue, threshold) => (v) => {
  if (maxValue != null && v >= maxValue) return maxValue;
  return v >= threshold ? v : alpha * (v - threshold);
};
function naiveSoftmax(v, axis) {
  const r = v.shape.length, ax = axis < 0 ? axis + r : axis, st = stridesOf(v.shape), data = v.data.slice();
  forEachIndex(v.shape, (idx, f) => {
    if (idx[ax] !== 0) return;
    const n = v.shape[ax]; let m = -Infinity;
    for (let i = 0; i < n; i++) m = Math.max(m, v.data[f + i * st[ax]]);
    let s = 0; for (let i = 0; i < n; i++) s += Math.exp(v.data[f + i * st[ax]] - m);
    for (let i = 0; i < n; i++) data[f + i * st[ax]] = Math.exp(v.data[f + i * st[ax]] - m) / s;
  });
  return { shape: v.shape.slice(), data };
}

async function genActivation() {
  const F = 'activation';
  const S = [2, 3, 4];
  const K0 = [-2.5, 0, 0.5, 2.0, 2.5];
  const act = async (name, cls, snake, cfg, shape, kinks, ref, naiveF, extra = {}) => {
    await kcase(F, name, Object.assign({
      className: cls, config: Object.assign({ name: kerasName(snake), trainable: true }, cfg),
      inputs: (rng) => [kinkInput(rng, shape, kinks)],
      reference: ref, naive: naiveF,
    }, extra));
  };
  const leaky = (a) => ([x]) => [tf.where(tf.greater(detached(x), 0), x, tf.mul(x, a))];
  await act('leaky_re_lu_default', 'LeakyReLU', 'leaky_re_lu', { alpha: 0.3 }, S, K0, leaky(0.3), naiveMap((v) => (v > 0 ? v : 0.3 * v)));
  await act('leaky_re_lu_0_1', 'LeakyReLU', 'leaky_re_lu', { alpha: 0.1 }, S, K0, leaky(0.1), naiveMap((v) => (v > 0 ? v : 0.1 * v)));
  // PReLU: f(x) = relu(x) - alpha * relu(-x); alpha has the input shape without the batch axis,
  // with 1 on every shared axis. alpha_initializer is a Constant (not the Keras default zeros);
  // the alpha weights themselves are random.
  const prelu = async (name, shape, shared) => {
    const ashape = shape.slice(1).map((d, i) => (shared && shared.includes(i + 1) ? 1 : d));
    await act(name, 'PReLU', 'p_re_lu', {
      alpha_initializer: { class_name: 'Constant', config: { value: 0.25 } }, alpha_regularizer: null, alpha_constraint: null, shared_axes: shared,
    }, shape, K0, ([x], [a]) => [tf.sub(tf.relu(x), tf.mul(a, tf.relu(tf.neg(x))))], ([x], [a]) => {
      const st = stridesOf(x.shape), ast = stridesOf(ashape); const data = [];
      forEachIndex(x.shape, (idx, f) => {
        let ai = 0; for (let d = 1; d < idx.length; d++) ai += (ashape[d - 1] === 1 ? 0 : idx[d]) * ast[d - 1];
        const v = x.data[f]; data.push(v > 0 ? v : a.data[ai] * v);
        if (st.length !== idx.length) throw new Error('prelu');
      });
      return [{ shape: x.shape.slice(), data }];
    }, { weightShapes: [ashape] });
  };
  await prelu('p_re_lu_3d', S, null);
  await prelu('p_re_lu_4d_shared_1', [2, 3, 4, 2], [1]);
  await prelu('p_re_lu_4d_shared_1_2', [2, 3, 4, 2], [1, 2]);
  // ELU: tfjs refuses alpha != 1 -> formula x > 0 ? x : alpha (exp(x) - 1); alpha 1 is tfjs.
  const elu = (a) => naiveMap((v) => (v > 0 ? v : a * (Math.exp(v) - 1)));
  await act('elu_1', 'ELU', 'elu', { alpha: 1.0 }, S, K0, ([x]) => [kerasElu(x, 1.0)], elu(1.0));
  await act('elu_0_5', 'ELU', 'elu', { alpha: 0.5 }, S, K0, ([x]) => [kerasElu(x, 0.5)], elu(0.5), {
    useReference: true, tfjsConfig: (c) => Object.assign({}, c, { alpha: 1.0 }), // twin: checks the other keys
  });
  // ThresholdedReLU: x > theta ? x : 0.
  const thr = (t) => ([x]) => [tf.mul(x, tf.cast(tf.greater(detached(x), t), 'float32'))];
  // tfjs's ThresholdedReLU cannot be differentiated (no gradient for Greater): gradients from the
  // formula with the condition on a detached copy; the tfjs forward is checked against it.
  await act('thresholded_re_lu_1', 'ThresholdedReLU', 'thresholded_re_lu', { theta: 1.0 }, S, [-2.5, 0, 1.0, 2.0, 2.5], thr(1.0), naiveMap((v) => (v > 1.0 ? v : 0)), { gradFromReference: true });
  await act('thresholded_re_lu_0_5', 'ThresholdedReLU', 'thresholded_re_lu', { theta: 0.5 }, S, K0, thr(0.5), naiveMap((v) => (v > 0.5 ? v : 0)), { gradFromReference: true });
  // Softmax: axis -1 is tfjs; axis 1 from the transpose formula (tfjs refuses non-last axes).
  await kcase(F, 'softmax_axis_neg1', {
    className: 'Softmax', config: { name: kerasName('softmax'), trainable: true, axis: -1 },
    inputs: (rng) => [uniform(rng, S, -3, 3)], reference: ([x]) => [tf.softmax(x, -1)], naive: ([x]) => [naiveSoftmax(x, -1)],
  });
  await kcase(F, 'softmax_axis1', {
    className: 'Softmax', config: { name: kerasName('softmax'), trainable: true, axis: 1 },
    inputs: (rng) => [uniform(rng, S, -3, 3)], reference: ([x]) => [softmaxAxis(x, 1)], naive: ([x]) => [naiveSoftmax(x, 1)],
    useReference: true,
  });
  // ReLU(max_value, negative_slope, threshold): tfjs only has max_value -> where negative_slope
  // or threshold is non-zero, the values come from Keras 2's relu formula and tfjs builds a twin
  // with both 0 only to check the other keys.
  const relu = async (name, mv, ns, th) => {
    const cfg = { name: kerasName('re_lu'), trainable: true, max_value: mv, negative_slope: ns, threshold: th };
    const tfjsOk = ns === 0 && th === 0;
    await kcase(F, name, {
      className: 'ReLU', config: cfg, inputs: (rng) => [kinkInput(rng, S, K0)],
      reference: ([x]) => [kerasRelu(x, ns, mv, th)], naive: naiveMap(naiveKerasRelu(ns, mv, th)),
      tfjsDefaults: { negative_slope: 0, threshold: 0 },
      tfjsConfig: tfjsOk ? undefined : Object.assign({}, cfg, { negative_slope: 0, threshold: 0 }),
      useReference: !tfjsOk,
    });
  };
  await relu('re_lu_default', null, 0.0, 0.0);
  await relu('re_lu_max_value_2', 2.0, 0.0, 0.0);
  await relu('re_lu_negative_slope_0_1', null, 0.1, 0.0);
  await relu('re_lu_threshold_0_5', null, 0.0, 0.5);
  await relu('re_lu_max_value_2_negative_slope_0_1_threshold_0_5', 2.0, 0.1, 0.5);
}

// --- family normalization -------------------------------------------------------------------
const bnConfig = (name, o) => ({
  name, trainable: true, axis: o.axis, momentum: 0.99, epsilon: 0.001, center: o.center !== false, scale: o.scale !== false,
  beta_initializer: KERAS_ZEROS, gamma_initializer: KERAS_ONES, moving_mean_initializer: KERAS_ZEROS, moving_variance_initializer: KERAS_ONES,
  beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
});
// Move `axis` last and back (BatchNormalization off the last axis; tfjs is wrong there).
function withAxisLast(x, axis, f) {
  const r = x.rank, ax = axis < 0 ? axis + r : axis;
  if (ax === r - 1) return f(x);
  const perm = [...range(0, r).filter((d) => d !== ax), ax]; const inv = new Array(r); perm.forEach((p, i) => { inv[p] = i; });
  return tf.transpose(f(tf.transpose(x, perm)), inv);
}
// Split weights by role: [gamma if scale, beta if center, moving_mean, moving_variance].
function bnRoles(o) { return [...(o.scale !== false ? ['gamma'] : []), ...(o.center !== false ? ['beta'] : []), 'moving_mean', 'moving_variance']; }
function bnWeights(o) {
  return (rng, shapes) => bnRoles(o).map((role, i) => uniform(rng, shapes[i], ...(role === 'gamma' || role === 'moving_variance' ? [0.5, 1.5] : [-1, 1])));
}
const EPS = 0.001;
// Per-channel statistics over every axis but `axis` (float64): mean and biased variance.
function naiveChannelStats(x, axis) {
  const r = x.shape.length, ax = axis < 0 ? axis + r : axis, C = x.shape[ax];
  const st = stridesOf(x.shape), n = x.data.length / C; const mean = new Array(C).fill(0), v = new Array(C).fill(0);
  forEachIndex(x.shape, (idx, f) => { mean[idx[ax]] += x.data[f] / n; });
  forEachIndex(x.shape, (idx, f) => { v[idx[ax]] += (x.data[f] - mean[idx[ax]]) ** 2 / n; });
  if (!st) throw new Error('stats');
  return { mean, variance: v, n };
}
function naiveBn(o, training) {
  return ([x], ws) => {
    const roles = bnRoles(o); const w = {}; roles.forEach((r, i) => { w[r] = ws[i].data; });
    const r = x.shape.length, ax = o.axis < 0 ? o.axis + r : o.axis;
    const stats = training ? naiveChannelStats(x, o.axis) : { mean: w.moving_mean, variance: w.moving_variance };
    const data = [];
    forEachIndex(x.shape, (idx, f) => {
      const c = idx[ax];
      data.push((x.data[f] - stats.mean[c]) / Math.sqrt(stats.variance[c] + EPS) * (w.gamma ? w.gamma[c] : 1) + (w.beta ? w.beta[c] : 0));
    });
    return [{ shape: x.shape.slice(), data }];
  };
}
function tfBn(o, training) {
  return ([x], ws) => {
    const roles = bnRoles(o); const w = {}; roles.forEach((r, i) => { w[r] = ws[i]; });
    return [withAxisLast(x, o.axis, (xl) => {
      let mean = w.moving_mean, variance = w.moving_variance;
      if (training) {
        const axes = range(0, xl.rank - 1);
        mean = tf.mean(xl, axes); variance = tf.mean(tf.square(tf.sub(xl, mean)), axes);
      }
      let y = tf.div(tf.sub(xl, mean), tf.sqrt(tf.add(variance, EPS)));
      if (w.gamma) y = tf.mul(y, w.gamma);
      if (w.beta) y = tf.add(y, w.beta);
      return y;
    })];
  };
}

async function genNormalization() {
  const F = 'normalization';
  const bn = async (name, o, shape) => {
    const cfg = bnConfig(kerasName('batch_normalization'), o);
    const C = shape[o.axis < 0 ? o.axis + shape.length : o.axis];
    const lastAxis = o.axis === -1 || o.axis === shape.length - 1;
    await kcase(F, name, {
      className: 'BatchNormalization', config: cfg, inputs: (rng) => [uniform(rng, shape)],
      weightShapes: bnRoles(o).map(() => [C]), weights: bnWeights(o),
      reference: tfBn(o, !!o.training), naive: naiveBn(o, !!o.training),
      // tfjs is wrong off the last axis; in training mode every tfjs call updates the moving
      // statistics, so values come from the formula (tfjs checked once in `extra`).
      useReference: !lastAxis || !!o.training,
      // tfjs 4.22 cannot differentiate BatchNormalization with center=false or scale=false (its
      // batchNorm op records the missing offset/scale as an undefined tape input and throws).
      gradFromReference: o.center === false || o.scale === false,
      training: !!o.training,
      extra: o.training ? (record, { xvals, weights, xT, layer }) => {
        // Keras 2.2.4 (normalization.py): moving_mean <- m * moving_mean + (1 - m) * batch_mean,
        // moving_variance <- m * moving_variance + (1 - m) * batch_variance * n / (n - (1 + epsilon)),
        // batch_variance biased, n = number of values per channel, m = momentum = 0.99.
        const st = naiveChannelStats(xvals[0], o.axis); const m = 0.99; const roles = bnRoles(o);
        const upd = roles.map((r, i) => {
          if (r === 'moving_mean') return { shape: [C], data: weights[i].data.map((v, c) => m * v + (1 - m) * st.mean[c]) };
          if (r === 'moving_variance') return { shape: [C], data: weights[i].data.map((v, c) => m * v + (1 - m) * st.variance[c] * st.n / (st.n - (1 + EPS))) };
          return weights[i];
        });
        record.updated_weights = upd.map((w) => valueJSON(w, name + ' updated_weights'));
        // tfjs (last axis only): same training output; its moving variance uses the biased batch
        // variance. tfjs 4.22 throws in training mode with scale=false or center=false (this.gamma.read()).
        if (lastAxis && o.scale !== false && o.center !== false) {
          layer.setWeights(weights.map(T)); // fresh moving statistics (GOLDEN_DIAG has called the layer)
          const y = layer.apply(xT[0], { training: true });
          assertClose(y, tfBn(o, true)(xT, layer.weights.map((w) => w.read()))[0], `${F}/${name} tfjs training output vs formula`);
          const after = layer.getWeights();
          const iv = roles.indexOf('moving_variance'), im = roles.indexOf('moving_mean');
          const tfjsVar = { shape: [C], data: weights[iv].data.map((v, c) => m * v + (1 - m) * st.variance[c]) };
          assertCloseValues(after[im], upd[im], `${F}/${name} tfjs moving_mean update`);
          assertCloseValues(after[iv], tfjsVar, `${F}/${name} tfjs moving_variance update (biased batch variance)`);
        }
      } : undefined,
    });
  };
  await bn('batch_normalization_inference_2d', { axis: -1 }, [2, 5]);
  await bn('batch_normalization_inference_4d_cl', { axis: -1 }, [2, 3, 4, 3]);
  await bn('batch_normalization_inference_4d_axis1_cf', { axis: 1 }, [2, 3, 4, 5]);
  await bn('batch_normalization_inference_no_center', { axis: -1, center: false }, [2, 3, 4]);
  await bn('batch_normalization_inference_no_scale', { axis: -1, scale: false }, [2, 3, 4]);
  await bn('batch_normalization_training_2d', { axis: -1, training: true }, [4, 5]);
  await bn('batch_normalization_training_4d_cl', { axis: -1, training: true }, [2, 3, 4, 3]);
  await bn('batch_normalization_training_4d_axis1_cf', { axis: 1, training: true }, [2, 3, 4, 5]);
  await bn('batch_normalization_training_no_scale', { axis: -1, scale: false, training: true }, [2, 3, 4]);

  // LayerNormalization (tf.keras 2.x; tfjs has it): mean and biased variance over `axis` per sample.
  const ln = async (name, axis, shape) => {
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + shape.length : a));
    const pshape = axes.map((a) => shape[a]);
    const cfg = {
      name: kerasName('layer_normalization'), trainable: true, axis, epsilon: 0.001, center: true, scale: true,
      beta_initializer: KERAS_ZEROS, gamma_initializer: KERAS_ONES, beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    };
    const bshape = shape.map((d, i) => (axes.includes(i) ? d : 1));
    await kcase(F, name, {
      className: 'LayerNormalization', config: cfg, inputs: (rng) => [uniform(rng, shape)],
      weightShapes: [pshape, pshape], weights: (rng, shapes) => [uniform(rng, shapes[0], 0.5, 1.5), uniform(rng, shapes[1], -1, 1)],
      // tf.keras and tfjs rewrite `axis` to a list of non-negative axes when the layer is built.
      tfjsRewrite: { axis: (v) => (JSON.stringify(v) === JSON.stringify(axes) ? axis : v) },
      tfjsDefaults: { beta_constraint: null, gamma_constraint: null }, // tfjs LayerNormalization has no constraints
      reference: ([x], [g, b]) => {
        const mean = tf.mean(x, axes, true), v = tf.mean(tf.square(tf.sub(x, mean)), axes, true);
        return [tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(v, 0.001))), tf.reshape(g, bshape)), tf.reshape(b, bshape))];
      },
      naive: ([x], [g, b]) => {
        const st = stridesOf(x.shape), pst = stridesOf(pshape); const data = new Array(x.data.length);
        const groups = {};
        forEachIndex(x.shape, (idx, f) => { const key = idx.filter((_, d) => !axes.includes(d)).join(','); (groups[key] = groups[key] || []).push([f, idx.slice()]); });
        for (const list of Object.values(groups)) {
          const mean = list.reduce((s, [f]) => s + x.data[f], 0) / list.length;
          const v = list.reduce((s, [f]) => s + (x.data[f] - mean) ** 2, 0) / list.length;
          for (const [f, idx] of list) {
            const p = axes.reduce((s, a, i) => s + idx[a] * pst[i], 0);
            data[f] = (x.data[f] - mean) / Math.sqrt(v + 0.001) * g.data[p] + b.data[p];
          }
        }
        if (!st) throw new Error('ln');
        return [{ shape: x.shape.slice(), data }];
      },
    });
  };
  await ln('layer_normalization_axis_neg1', -1, [2, 3, 4]);
  await ln('layer_normalization_axis_1_2', [1, 2], [2, 3, 4]);
  await ln('layer_normalization_2d', -1, [2, 5]);
}

// --- family noise (inference: identity; the configs are the point) -----------------------------
async function genNoise() {
  const F = 'noise';
  const id = { reference: ([x]) => [tf.mul(x, 1)], naive: ([x]) => [cloneV(x)] };
  await kcase(F, 'gaussian_noise_0_5', Object.assign({ className: 'GaussianNoise', config: { name: kerasName('gaussian_noise'), trainable: true, stddev: 0.5 }, inputs: (rng) => [uniform(rng, [2, 3, 4])] }, id));
  await kcase(F, 'gaussian_dropout_0_3', Object.assign({ className: 'GaussianDropout', config: { name: kerasName('gaussian_dropout'), trainable: true, rate: 0.3 }, inputs: (rng) => [uniform(rng, [2, 3, 4])] }, id));
  // Keras 2.2.4 AlphaDropout.get_config writes only `rate` (noise_shape and seed are not serialised).
  await kcase(F, 'alpha_dropout_0_2', Object.assign({ className: 'AlphaDropout', config: { name: kerasName('alpha_dropout'), trainable: true, rate: 0.2 }, inputs: (rng) => [uniform(rng, [2, 3, 4])] }, id));
}

// --- family attention (tf.keras 2.4-2.8 semantics; tfjs has no attention layers) ----------------
// scores = q k^T (Attention; times the scalar `scale` if use_scale) or
//          sum_d scale_d tanh(q_i,d + k_j,d) (AdditiveAttention; scale 1 without use_scale);
// scores -= 1e9 where (value mask false) or (causal and j > i); w = softmax(scores, -1);
// out = w v; out *= query mask; return_attention_scores also returns w.
function tfAttention(o) {
  return (xs, ws, masks) => {
    const [q, v] = xs; const k = xs[2] || v; const [B, Tq] = q.shape, Tv = k.shape[1];
    let scores;
    if (o.additive) {
      let t = tf.tanh(tf.add(tf.expandDims(q, 2), tf.expandDims(k, 1)));
      if (o.useScale) t = tf.mul(t, ws[0]);
      scores = tf.sum(t, -1);
    } else {
      scores = tf.matMul(q, k, false, true);
      if (o.useScale) scores = tf.mul(scores, ws[0]);
    }
    const allow = attentionAllowed(o, B, Tq, Tv, masks);
    if (allow) scores = tf.sub(scores, tf.mul(1e9, tf.tensor(allow.map((r) => r.map((row) => row.map((a) => (a ? 0 : 1)))), [B, Tq, Tv])));
    const w = tf.softmax(scores, -1);
    let out = tf.matMul(w, v);
    if (masks && masks[0]) out = tf.mul(out, tf.tensor(masks[0].map((r) => r.map((m) => [m ? 1 : 0])), [B, Tq, 1]));
    return o.returnScores ? [out, w] : [out];
  };
}
// allowed[b][i][j] = value_mask[b][j] && (!causal || j <= i); null if nothing is masked.
function attentionAllowed(o, B, Tq, Tv, masks) {
  const vm = masks && masks[1];
  if (!vm && !o.causal) return null;
  return range(0, B).map((b) => range(0, Tq).map((i) => range(0, Tv).map((j) => (!vm || vm[b][j]) && (!o.causal || j <= i))));
}
function naiveAttention(o) {
  return (xs, ws, masks) => {
    const [q, v] = xs; const k = xs[2] || v;
    const [B, Tq, D] = q.shape, Tv = k.shape[1], Dv = v.shape[2];
    const allow = attentionAllowed(o, B, Tq, Tv, masks);
    const out = [], W = [];
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < Tq; i++) {
        const s = range(0, Tv).map((j) => {
          let a = 0;
          for (let d = 0; d < D; d++) {
            const qv = q.data[(b * Tq + i) * D + d], kv = k.data[(b * Tv + j) * D + d];
            a += o.additive ? (o.useScale ? ws[0].data[d] : 1) * Math.tanh(qv + kv) : qv * kv;
          }
          if (!o.additive && o.useScale) a *= ws[0].data[0];
          return allow && !allow[b][i][j] ? a - 1e9 : a;
        });
        const m = Math.max(...s); const e = s.map((x) => Math.exp(x - m)); const z = e.reduce((x, y) => x + y, 0); const w = e.map((x) => x / z);
        W.push(...w);
        const qm = masks && masks[0] ? (masks[0][b][i] ? 1 : 0) : 1;
        for (let d = 0; d < Dv; d++) { let a = 0; for (let j = 0; j < Tv; j++) a += w[j] * v.data[(b * Tv + j) * Dv + d]; out.push(a * qm); }
      }
    }
    const res = [{ shape: [B, Tq, Dv], data: out }];
    if (o.returnScores) res.push({ shape: [B, Tq, Tv], data: W });
    return res;
  };
}

async function genAttention() {
  const F = 'attention';
  const att = async (name, o, shapes, masks) => {
    const cls = o.additive ? 'AdditiveAttention' : 'Attention';
    const cfg = { name: kerasName(o.additive ? 'additive_attention' : 'attention'), trainable: true, causal: !!o.causal, dropout: 0.0, use_scale: !!o.useScale };
    const D = shapes[0][2];
    await kcase(F, name, {
      className: cls, config: cfg, tfjs: false,
      inputs: (rng) => shapes.map((s) => uniform(rng, s)),
      inputMasks: masks, callKwargs: o.returnScores ? { return_attention_scores: true } : undefined,
      weightShapes: o.useScale ? [o.additive ? [D] : []] : [],
      // Attention's scale is a scalar (initialised to 1): here 0.5-1.5; AdditiveAttention's is a
      // vector of size dim (glorot_uniform): here uniform [-1, 1].
      weights: (rng, ws) => ws.map((s) => (s.length ? uniform(rng, s, -1, 1) : uniform(rng, s, 0.5, 1.5))),
      reference: tfAttention(o), naive: naiveAttention(o),
      outputMask: masks && masks[0] && !o.returnScores ? () => masks[0] : undefined, // Keras: the query mask
    });
  };
  const QM = [[true, true, false], [true, false, true]], VM = [[true, true, true, false, false], [true, false, true, true, true]];
  const VM4 = [[true, true, false, true], [true, false, true, false]];
  await att('attention_qv', {}, [[2, 3, 4], [2, 5, 4]]);
  await att('attention_qvk_use_scale', { useScale: true }, [[2, 3, 4], [2, 5, 2], [2, 5, 4]]);
  await att('attention_causal', { causal: true }, [[2, 4, 3], [2, 4, 3]]);
  await att('attention_masked', {}, [[2, 3, 4], [2, 5, 4]], [QM, VM]);
  await att('attention_value_mask_only', { useScale: true }, [[2, 3, 4], [2, 5, 4]], [null, VM]);
  await att('attention_causal_masked_return_scores', { causal: true, useScale: true, returnScores: true }, [[2, 4, 3], [2, 4, 3]], [[[true, true, true, false], [true, true, true, true]], VM4]);
  await att('additive_attention_qv_use_scale', { additive: true, useScale: true }, [[2, 3, 4], [2, 5, 4]]);
  await att('additive_attention_qvk_no_scale', { additive: true }, [[2, 3, 4], [2, 5, 2], [2, 5, 4]]);
  await att('additive_attention_masked', { additive: true, useScale: true }, [[2, 3, 4], [2, 5, 4]], [QM, VM]);
  await att('additive_attention_causal_masked_return_scores', { additive: true, useScale: true, causal: true, returnScores: true }, [[2, 4, 3], [2, 4, 3]], [[[true, false, true, true], [true, true, true, true]], VM4]);
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------
function validateAll() {
  const walk = (v, where) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('non-finite in ' + where);
    if (Array.isArray(v)) v.forEach((x) => walk(x, where));
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => walk(x, where));
  };
  let total = 0;
  for (const f of written) {
    const text = fs.readFileSync(f, 'utf8'); total += text.length;
    const obj = JSON.parse(text);
    walk(obj, f);
    // A stateful case holds its tensors per batch ("batches"), sharing the top-level weights.
    const groups = obj.batches ? obj.batches.map((b) => Object.assign({ weights: obj.weights, kind: obj.kind }, b)) : [obj];
    for (const grp of groups) {
      for (const key of ['inputs', 'weights', 'outputs', 'upstream', 'grad_inputs', 'grad_weights', 'updated_weights', 'states']) {
        for (const t of grp[key] || []) {
          if (t === null && (key === 'grad_inputs' || key === 'grad_weights')) continue; // int input / non-trainable weight
          if (t.data.length !== prod(t.shape)) throw new Error(`${f}: ${key} data length ${t.data.length} != prod(shape ${t.shape})`);
          if (t.dtype !== undefined && !(t.dtype === 'int32' && key === 'inputs' && t.data.every(Number.isInteger))) throw new Error(`${f}: bad dtype in ${key}`);
        }
      }
      if (grp.upstream.length !== grp.outputs.length) throw new Error(f + ': upstream/outputs count');
      if (grp.grad_inputs && grp.grad_inputs.length !== grp.inputs.length) throw new Error(f + ': grad_inputs count');
      if (grp.kind === 'layer' && grp.grad_weights.length !== grp.weights.length) throw new Error(f + ': grad_weights count');
      if (grp.updated_weights && grp.updated_weights.length !== grp.weights.length) throw new Error(f + ': updated_weights count');
      grp.inputs.forEach((t, i) => { if ((t.dtype === 'int32') !== (grp.grad_inputs[i] === null)) throw new Error(f + ': grad_inputs null iff int input'); });
    }
    if (obj.input_masks && obj.input_masks.length !== obj.inputs.length) throw new Error(f + ': input_masks count');
  }
  return total;
}

(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  tf.backend().firstUse = false; // silence the "install tfjs-node" banner: the pure-JS backend is deliberate
  if (tf.version.tfjs !== '4.22.0') throw new Error('expected tfjs 4.22.0, got ' + tf.version.tfjs);
  // Start from a clean slate so removed cases do not linger.
  for (const fam of FAMILIES) {
    const dir = path.join(OUT_ROOT, fam);
    if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) if (f.endsWith('.json')) fs.unlinkSync(path.join(dir, f));
  }
  genOps();
  await genLayers();
  await genConv();
  await genPooling();
  await genReshaping();
  await genRecurrent();
  await genMerge();
  await genActivation();
  await genNormalization();
  await genNoise();
  await genAttention();
  const total = validateAll();
  const rel = (f) => path.relative(path.resolve(__dirname, '..', '..'), f);
  for (const f of written) console.log(rel(f));
  console.log(`${written.length} fixtures, ${total} bytes, backend=${tf.getBackend()}, tfjs ${tf.version.tfjs}, ${((Date.now() - t0) / 1000).toFixed(2)} s`);
})().catch((e) => { console.error('FAILED:', e.stack || e); process.exit(1); });
