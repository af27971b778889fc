import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateString, parseTemplate } from '../../../src/engine/config/interpolation.js';
import { parseMemoryMB } from '../../../src/engine/config/memory.js';
import { expandRunArgs } from '../../../src/engine/config/run-args.js';
import { shellSplit } from '../../../src/engine/config/shell-split.js';
import { closeNames } from '../../../src/engine/config/suggest.js';

test('shellSplit respects quotes and escapes and keeps ${{ }} whole', () => {
  assert.deepStrictEqual(shellSplit(`node "a b.js" 'c "d"' e\\ f --x=${'${{ vars.a b }}'} "q\\"uote" ''`), [
    'node',
    'a b.js',
    'c "d"',
    'e f',
    '--x=${{ vars.a b }}',
    'q"uote',
    '',
  ]);
  assert.deepStrictEqual(shellSplit('a "b'), { error: 'unterminated double quote in run command' });
});

test('interpolation keeps the type of a whole-value var and stringifies inside text', () => {
  const scope = { vars: { n: 3, list: [1, 2], m: { k: true } }, matrix: { seed: 7 }, where: 'with' };
  assert.deepStrictEqual(interpolateString('${{ vars.list }}', scope), [1, 2]);
  assert.equal(interpolateString('${{vars.n}}', scope), 3);
  assert.equal(interpolateString('${{ vars.m.k }}', scope), true);
  assert.equal(interpolateString('n=${{ vars.n }},s=${{ matrix.seed }}', scope), 'n=3,s=7');
  assert.equal(interpolateString('cost $${{ vars.n }}', scope), 'cost ${{ vars.n }}');
  assert.throws(() => interpolateString('${{ stages.a.outputs.b }}', scope), /not allowed in with; it is only allowed in inputs and run/);
  assert.deepStrictEqual(parseTemplate('x ${{ stages.t[a=1, b=two].outputs.m }}'), [
    { text: 'x ' },
    { expr: { kind: 'stage', stage: 't', select: [['a', '1'], ['b', 'two']], output: 'm' }, source: '${{ stages.t[a=1, b=two].outputs.m }}', index: 2 },
  ]);
});

test('expandRunArgs substitutes paths, splices whole list inputs and unescapes $${{', () => {
  const argv = ['tool', '${{ inputs.many }}', '--one=${{ inputs.one }}', '${{ outputs.out }}/x', 'lit $${{ y }}'];
  assert.deepStrictEqual(expandRunArgs(argv, { many: ['/a', '/b'], one: '/c' }, { out: '/o' }), [
    'tool',
    '/a',
    '/b',
    '--one=/c',
    '/o/x',
    'lit ${{ y }}',
  ]);
  assert.throws(() => expandRunArgs(['${{ inputs.nope }}'], {}, {}), /no input "nope"/);
});

test('memory sizes are whole MB, 1 GB = 1024 MB', () => {
  assert.equal(parseMemoryMB('512MB'), 512);
  assert.equal(parseMemoryMB('2GB'), 2048);
  assert.equal(parseMemoryMB('1.5 gb'), 1536);
  assert.equal(parseMemoryMB('100KB'), 1);
  assert.equal(parseMemoryMB(300), 300);
  assert.equal(parseMemoryMB('300'), 300);
  assert.equal(parseMemoryMB('2 gigs'), null);
});

test('close-name suggestions', () => {
  assert.deepStrictEqual(closeNames('ouputs', ['outputs', 'inputs', 'run']), ['outputs', 'inputs']);
  assert.deepStrictEqual(closeNames('zzz', ['outputs']), []);
});
