import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSignature, OnnxSignatureError, SIGNATURES } from '../../../src/encoders/onnx/signatures.js';

const t = (name: string, type: string, dims: (number | string)[]) => ({ name, type, dims });

test('signature check binds the fixed dims of a conforming graph', () => {
  const dims = checkSignature('m.onnx', 'CLIP text encoder', SIGNATURES.clipText, {
    inputs: [t('input_ids', 'int64', ['batch', 77])],
    outputs: [t('last_hidden_state', 'float32', ['batch', 77, 768]), t('text_embeds', 'float32', ['batch', 768])],
  });
  assert.deepEqual(dims, { N: 77, W: 768, P: 768 });
});

test('signature check reports every difference: type, rank, fixed dim, inconsistent named dim, batch, extra input', () => {
  assert.throws(
    () =>
      checkSignature('/x/clap.onnx', 'MS-CLAP 2022 audio encoder', SIGNATURES.clapAudio, {
        inputs: [t('log_mel', 'float64', [4, 1, 'T', 128]), t('mask', 'int64', [4])],
        outputs: [t('audio_embeds', 'float32', [4, 1024, 1])],
      }),
    (e: Error) => {
      assert.ok(e instanceof OnnxSignatureError);
      assert.match(e.message, /^\/x\/clap\.onnx: not a valid MS-CLAP 2022 audio encoder graph: /);
      assert.match(e.message, /input 'log_mel' has type float64, expected float32/);
      assert.match(e.message, /input 'log_mel' dim 3 is 128, expected 64/);
      assert.match(e.message, /fixed batch size 4; export with a dynamic batch axis/);
      assert.match(e.message, /output 'audio_embeds' has rank 3 \[4,1024,1\], expected rank 2 \[B,D\]/);
      assert.match(e.message, /unexpected input\(s\) mask int64 \[4\]/);
      assert.match(e.message, /expected inputs log_mel float32 \[B,1,T,64\]; outputs audio_embeds float32 \[B,D\]/);
      return true;
    },
  );
  assert.throws(
    () =>
      checkSignature('d.onnx', 'captioner text decoder', SIGNATURES.captionDecoder, {
        inputs: [t('input_ids', 'int64', ['B', 'L']), t('encoder_hidden_states', 'float32', ['B', 50, 768])],
        outputs: [t('logits', 'float32', ['B', 'L', 50257])],
      }, { M: 32 }),
    /dimension M is 50, but the configuration expects 32/,
  );
  assert.throws(
    () =>
      checkSignature('i.onnx', 'CLIP image encoder', SIGNATURES.clipImage, {
        inputs: [t('pixel_values', 'float32', ['B', 3, 224, 336])],
        outputs: [t('image_embeds', 'float32', ['B', 768])],
      }),
    /dim 3 \(S\) is 336 but S is 224 elsewhere/,
  );
});
