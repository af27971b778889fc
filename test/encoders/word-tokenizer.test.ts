import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOS, EOS, UNK, WordTokenizer } from '../../src/encoders/toy/word-tokenizer.js';

test('word tokenizer lays tokens out like CLIP: BOS, words, EOS padding', () => {
  const tok = WordTokenizer.fromTexts(['A thunder storm', 'a stick hitting metal'], 6);
  const ids = tok.encode('thunder over metal');
  assert.equal(ids[0], BOS);
  assert.equal(tok.vocab[ids[1]!], 'thunder');
  assert.equal(ids[2], UNK);
  assert.equal(tok.vocab[ids[3]!], 'metal');
  assert.deepEqual([...ids.slice(4)], [EOS, EOS]);
  assert.equal(tok.eosPosition('thunder over metal'), 4);
  assert.equal(tok.encode('a b c d e f g h').length, 6);
  assert.equal(tok.eosPosition('a b c d e f g h'), 5);
});

test('word tokenizer round-trips through JSON', () => {
  const tok = WordTokenizer.fromTexts(['wind noise', 'raining'], 8);
  const back = WordTokenizer.fromJson(JSON.parse(JSON.stringify(tok.toJson())));
  assert.deepEqual([...back.encode('wind raining')], [...tok.encode('wind raining')]);
  assert.throws(() => WordTokenizer.fromJson({ kind: 'other' } as never), /not a SonicToy tokenizer/);
});
