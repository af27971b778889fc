import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuList, memoryMB, positiveInt, setPairs } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/cli/cli-error.js';

test('CLI value parsers', () => {
  assert.equal(memoryMB('8GB', '--memory'), 8192);
  assert.equal(memoryMB('512mb', '--memory'), 512);
  assert.equal(memoryMB('1.5G', '--memory'), 1536);
  assert.equal(memoryMB('300', '--memory'), 300);
  assert.throws(() => memoryMB('lots', '--memory'), UsageError);
  assert.deepEqual(gpuList('0,1'), [0, 1]);
  assert.deepEqual(gpuList('none'), []);
  assert.throws(() => gpuList('0,0'), /twice/);
  assert.equal(positiveInt('4', '--jobs'), 4);
  assert.throws(() => positiveInt('0', '--jobs'), UsageError);
  assert.deepEqual(setPairs(['a=1', 'b.c=x=y']), { a: '1', 'b.c': 'x=y' });
  assert.throws(() => setPairs(['novalue']), /key=value/);
});
