// TF.js layers models for jkeras's model-file tests: each case is saved as TF.js saves it (model.json with the
// modelTopology and weightsManifest, one weights.bin) with the inputs it was run on and TF.js's predictions
// (expected.json). Run from tools/golden after `npm ci`:  node tfjs_models.js
// Writes java/src/test/resources/tfjs-models/<case>/ (override with the first argument).
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');
function rnd(seed) { let s = seed >>> 0; return () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
async function save(model, dir, inputs) {
  fs.mkdirSync(dir, {recursive: true});
  await model.save(tf.io.withSaveHandler(async (a) => {
    const json = {format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', convertedBy: null,
      modelTopology: a.modelTopology, weightsManifest: [{paths: ['weights.bin'], weights: a.weightSpecs}]};
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(a.weightData));
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
  const xs = inputs.map(([shape, seed]) => { const r = rnd(seed); const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Array.from({length: n}, () => Math.fround(r() * 4 - 2)), shape); });
  let ys = model.predict(xs.length === 1 ? xs[0] : xs);
  if (!Array.isArray(ys)) ys = [ys];
  const out = {inputs: xs.map(x => ({shape: x.shape, data: Array.from(x.dataSync())})),
               outputs: ys.map(y => ({shape: y.shape, data: Array.from(y.dataSync())}))};
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(out));
}
(async () => {
  const out = process.argv[2] || path.join(__dirname, '..', '..', 'java', 'src', 'test', 'resources', 'tfjs-models');
  // Sequential: Conv1D, MaxPooling1D, Flatten, Dense
  const s = tf.sequential();
  s.add(tf.layers.conv1d({inputShape: [10, 3], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1}), biasInitializer: tf.initializers.randomNormal({seed: 2})}));
  s.add(tf.layers.maxPooling1d({poolSize: 2}));
  s.add(tf.layers.flatten());
  s.add(tf.layers.dense({units: 5, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 3}), biasInitializer: tf.initializers.randomNormal({seed: 4})}));
  await save(s, path.join(out, 'sequential_conv1d'), [[[4, 10, 3], 11]]);
  // Functional: two inputs, a shared Dense, Add and Concatenate, two outputs
  const a = tf.input({shape: [6], name: 'a'});
  const b = tf.input({shape: [6], name: 'b'});
  const shared = tf.layers.dense({units: 4, activation: 'tanh', name: 'shared', kernelInitializer: tf.initializers.glorotUniform({seed: 5}), biasInitializer: tf.initializers.randomNormal({seed: 6})});
  const sa = shared.apply(a), sb = shared.apply(b);
  const sum = tf.layers.add({name: 'sum'}).apply([sa, sb]);
  const cat = tf.layers.concatenate({name: 'cat'}).apply([sum, sb]);
  const o1 = tf.layers.dense({units: 3, name: 'head', kernelInitializer: tf.initializers.glorotUniform({seed: 7}), biasInitializer: tf.initializers.randomNormal({seed: 8})}).apply(cat);
  const o2 = tf.layers.dense({units: 2, activation: 'sigmoid', name: 'side', kernelInitializer: tf.initializers.glorotUniform({seed: 9})}).apply(sa);
  const f = tf.model({inputs: [a, b], outputs: [o1, o2], name: 'functional_shared'});
  await save(f, path.join(out, 'functional_shared'), [[[3, 6], 12], [[3, 6], 13]]);
  // LSTM then Dense
  const r = tf.sequential();
  r.add(tf.layers.lstm({inputShape: [5, 2], units: 3, recurrentActivation: 'hardSigmoid', kernelInitializer: tf.initializers.glorotUniform({seed: 10}), recurrentInitializer: tf.initializers.glorotUniform({seed: 14}), biasInitializer: tf.initializers.randomNormal({seed: 15})}));
  r.add(tf.layers.dense({units: 1, kernelInitializer: tf.initializers.glorotUniform({seed: 16})}));
  await save(r, path.join(out, 'sequential_lstm'), [[[2, 5, 2], 17]]);
  console.log('written to', out);
})();
