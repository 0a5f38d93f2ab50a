#!/usr/bin/env node
// Golden-fixture generator for jkeras.
//
// Oracle: @tensorflow/tfjs 4.22.0, pure-JS CPU backend (NOT tfjs-node), plus
// explicit formulas built from tf ops where tfjs disagrees with Keras 2
// (see /work/shared/TFJS-ORACLE-NOTES.md and README.md next to this file).
//
// Usage:  cd tools/golden && npm ci && node generate.js
// Writes: java/src/test/resources/golden/{layers,ops,conv,pooling,reshaping}/<case>.json
//
// Everything is deterministic: every case gets its own PRNG (mulberry32) seeded
// with a hash of the case name, so adding/removing a case never changes others.
'use strict';

const fs = require('fs');
const path = require('path');

const tf = require('@tensorflow/tfjs');

const OUT_ROOT = path.resolve(__dirname, '..', '..', 'java', 'src', 'test', 'resources', 'golden');
const FAMILIES = ['layers', 'ops', 'conv', 'pooling', 'reshaping'];
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
    for (const key of ['inputs', 'weights', 'outputs', 'upstream', 'grad_inputs', 'grad_weights']) {
      for (const t of obj[key] || []) {
        if (t.data.length !== prod(t.shape)) throw new Error(`${f}: ${key} data length ${t.data.length} != prod(shape ${t.shape})`);
      }
    }
    if (obj.upstream.length !== obj.outputs.length) throw new Error(f + ': upstream/outputs count');
    if (obj.grad_inputs && obj.grad_inputs.length !== obj.inputs.length) throw new Error(f + ': grad_inputs count');
    if (obj.kind === 'layer' && obj.grad_weights.length !== obj.weights.length) throw new Error(f + ': grad_weights count');
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
  const total = validateAll();
  const rel = (f) => path.relative(path.resolve(__dirname, '..', '..'), f);
  for (const f of written) console.log(rel(f));
  console.log(`${written.length} fixtures, ${total} bytes, backend=${tf.getBackend()}, tfjs ${tf.version.tfjs}, ${((Date.now() - t0) / 1000).toFixed(2)} s`);
})().catch((e) => { console.error('FAILED:', e.stack || e); process.exit(1); });
