import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { SafetensorsFile, writeSafetensors } from '../../src/compute/safetensors.js';
import { composeKeyMaps, describeCheckpoint, diffKeys, isAdapterKey, keysMatching, pthToSafetensorsCommand, renameKeys, stripPrefix } from '../../src/compute/weight-keys.js';

function fakeCheckpoint(): SafetensorsFile {
  const path = join(tempDir('keys-'), 'ckpt.safetensors');
  const t = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
  writeSafetensors(path, {
    'mid_block.attentions.0.transformer_blocks.0.attn_adapter.to_q.weight': t([4, 4]),
    'mid_block.attentions.0.transformer_blocks.0.gate_adapter': t([1]),
    'mid_block.attentions.0.transformer_blocks.0.attn1.to_q.weight': t([4, 4]),
    'up_blocks.1.attentions.0.transformer_blocks.0.norm_adapter.bias': t([4]),
  });
  return new SafetensorsFile(path);
}

test('adapter keys are selected, described and diffed against expectations', () => {
  const f = fakeCheckpoint();
  assert.equal(keysMatching(f, isAdapterKey).length, 3);
  const d = describeCheckpoint(f, isAdapterKey);
  assert.equal(d.tensors, 3);
  assert.equal(d.parameters, 16 + 1 + 4);
  const expected = new Map<string, number[]>([
    ['mid_block.attentions.0.transformer_blocks.0.attn_adapter.to_q.weight', [4, 4]],
    ['mid_block.attentions.0.transformer_blocks.0.gate_adapter', [2]],
    ['up_blocks.2.attentions.0.transformer_blocks.0.norm_adapter.bias', [4]],
  ]);
  const diff = diffKeys(expected, f, (k) => (isAdapterKey(k) ? k : null));
  assert.deepEqual(diff.misShaped, ['mid_block.attentions.0.transformer_blocks.0.gate_adapter: checkpoint [1], expected [2]']);
  assert.deepEqual(diff.unexpected, ['up_blocks.1.attentions.0.transformer_blocks.0.norm_adapter.bias [4]']);
  assert.deepEqual(diff.missing, ['up_blocks.2.attentions.0.transformer_blocks.0.norm_adapter.bias [4]']);
  f.close();
});

test('key maps strip prefixes, rename and compose', () => {
  const m = composeKeyMaps(stripPrefix('unet.'), renameKeys([['attn_adapter', 'audio_attn'], [/^up_blocks\.(\d)/, 'up.$1']]));
  assert.equal(m('unet.up_blocks.1.attn_adapter.to_k.weight'), 'up.1.audio_attn.to_k.weight');
  assert.equal(m('vae.decoder.conv_in.weight'), null);
  assert.match(pthToSafetensorsCommand("it's.pt", 'out.safetensors'), /torch\.load\('it\\'s\.pt', map_location='cpu'\).*'out\.safetensors'/);
});
