import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SONIC_VERSION } from '../src/version.js';

test('package version is semver', () => {
  assert.match(SONIC_VERSION, /^\d+\.\d+\.\d+$/);
});
