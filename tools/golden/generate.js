#!/usr/bin/env node
// Golden-fixture generator for jkeras.
//
// Oracle: @tensorflow/tfjs 4.22.0, pure-JS CPU backend (NOT tfjs-node), plus
// explicit formulas built from tf ops where tfjs disagrees with Keras 2
// (see /work/shared/TFJS-ORACLE-NOTES.md and README.md next to this file).
//
// Usage:  cd tools/golden && npm ci && node generate.js
// Writes: java/src/test/resources/golden/{layers,ops}/<case>.json
//
// Everything is deterministic: every case gets its own PRNG (mulberry32) seeded
// with a hash of the case name, so adding/removing a case never changes others.
'use strict';

const fs = require('fs');
const path = require('path');

const tf = require('@tensorflow/tfjs');

const OUT_ROOT = path.resolve(__dirname, '..', '..', 'java', 'src', 'test', 'resources', 'golden');
const FAMILIES = ['layers', 'ops'];
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
function verifyConfig(caseName, className, requested, built) {
  const problems = [];
  for (const [k, v] of Object.entries(requested)) {
    if (!(k in built)) { problems.push(`key '${k}' dropped by tfjs`); continue; }
    const b = normaliseTfjs(className, k, built[k]);
    if (!deepEqual(v, b)) problems.push(`key '${k}': requested ${JSON.stringify(v)}, tfjs built ${JSON.stringify(built[k])}`);
  }
  const extra = Object.keys(built).filter((k) => !(k in requested));
  if (extra.length) problems.push(`tfjs has keys not in the Keras config: ${extra.join(', ')} (add them to the fixture config if Keras 2 writes them)`);
  if (problems.length) throw new Error(`config mismatch in layers/${caseName} (${className}):\n  ` + problems.join('\n  '));
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
 * opts.input(rng)   -> input value (default uniform [-2,2] of inputShape)
 * opts.reference(x, weights) -> tensor computed from the Keras formula. If given, it is
 *                     compared with tfjs (must agree) unless opts.formulaOnly, in which case
 *                     tfjs is not used at all (layer config tfjs cannot build).
 * opts.gradFromReference -> take gradients through opts.reference instead of the tfjs layer
 *                     (forward still comes from tfjs and is checked against the reference).
 * opts.outputMask   -> also record layer.computeMask(x) as "output_mask".
 */
async function layerCase(name, className, config, inputShape, opts = {}) {
  const rng = rngFor('layers', name);
  const xv = opts.input ? opts.input(rng) : uniform(rng, inputShape);
  let layer = null;
  if (!opts.formulaOnly) {
    const model = await tf.models.modelFromJSON(oneLayerModelJSON(className, config, inputShape));
    layer = model.layers[1];
    const builtJSON = model.toJSON(null, false).config.layers[1];
    if (builtJSON.class_name !== className) throw new Error(`layers/${name}: tfjs built ${builtJSON.class_name}`);
    verifyConfig(name, className, config, builtJSON.config);
  }
  // Weights: explicit seeded random values (uniform [-1,1]) so biases are non-zero.
  const weightShapes = layer ? layer.getWeights().map((w) => w.shape) : (opts.weightShapes || []);
  const weights = weightShapes.map((s) => uniform(rng, s, -1, 1));
  if (layer && weights.length) layer.setWeights(weights.map(T));
  if (layer && layer.nonTrainableWeights.length) throw new Error('non-trainable weights not handled');

  const record = { kind: 'layer', name, config: { class_name: className, config } };
  tf.tidy(() => {
    const xVar = tf.variable(T(xv), true, `x_${name}`);
    const wVars = layer ? layer.trainableWeights.map((w) => w.read()) : weights.map((w, i) => tf.variable(T(w), true, `w${i}_${name}`));
    const forward = () => (layer ? layer.apply(xVar, { training: false }) : opts.reference(xVar, wVars));
    const y = forward();
    if (layer && opts.reference) assertClose(y, opts.reference(xVar, wVars), `layers/${name} tfjs vs formula`);
    const upstream = uniform(rng, y.shape);
    const up = T(upstream);
    const gradForward = opts.gradFromReference ? () => opts.reference(xVar, wVars) : forward;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(gradForward(), up)), [xVar, ...wVars]);
    const g = (v) => grads[v.name];
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
  writeCase('layers', name, record);
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
  const total = validateAll();
  const rel = (f) => path.relative(path.resolve(__dirname, '..', '..'), f);
  for (const f of written) console.log(rel(f));
  console.log(`${written.length} fixtures, ${total} bytes, backend=${tf.getBackend()}, tfjs ${tf.version.tfjs}, ${((Date.now() - t0) / 1000).toFixed(2)} s`);
})().catch((e) => { console.error('FAILED:', e.stack || e); process.exit(1); });
