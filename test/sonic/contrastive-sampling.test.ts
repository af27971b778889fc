import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleContrastiveIndices } from '../../src/sonic/training/contrastive-sampling.js';
import { projectorPreset, OFFICIAL_PROJECTOR } from '../../src/sonic/projector/projector-config.js';

test('positives share the class (never the anchor); negatives are distinct and of other classes', () => {
  const labels = ['fire', 'rain', 'fire', 'wind', 'rain', 'fire', 'wind', 'wind'];
  const anchors = [0, 1, 3, 5];
  const r = sampleContrastiveIndices(labels, anchors, 4, 1);
  anchors.forEach((a, i) => {
    assert.equal(labels[r.positives[i]!], labels[a]);
    assert.notEqual(r.positives[i], a);
    assert.equal(new Set(r.negatives[i]).size, 4);
    for (const n of r.negatives[i]!) assert.notEqual(labels[n], labels[a]);
  });
  assert.deepEqual(sampleContrastiveIndices(labels, anchors, 4, 1), r, 'deterministic in the seed');
  assert.throws(() => sampleContrastiveIndices(['a', 'b', 'b'], [0], 1, 0), /class 'a' has only one item/);
  assert.throws(() => sampleContrastiveIndices(['a', 'a', 'b'], [0], 2, 0), /needs 2 negatives but only 1/);
});

test('projector presets resolve with overrides and reject unknown names', () => {
  assert.deepEqual(projectorPreset('official'), OFFICIAL_PROJECTOR);
  assert.equal(projectorPreset('small', { tokens: 1 }).tokens, 1);
  assert.throws(() => projectorPreset('huge'), /unknown audio projector preset 'huge' \(expected one of: official, small, tiny\)/);
  assert.throws(() => projectorPreset('tiny', { heads: 0 }), /'heads' must be a positive integer/);
});
