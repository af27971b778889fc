import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectStore, hashPath } from '../../../src/engine/store/object-store.js';
import { tempDir } from './fixtures.js';
import { tempDir as testTempDir } from '../../helpers/temp-dir.js';

const SHA256_HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';

test('ingest of a file moves it into objects/ab/cdef…, read-only; re-ingest is idempotent', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const store = new ObjectStore(join(dir, 'objects'));
    writeFileSync(join(dir, 'a.txt'), 'hello');
    const obj = await store.ingest(join(dir, 'a.txt'));
    assert.deepEqual({ hash: obj.hash, size: obj.size, type: obj.type }, { hash: SHA256_HELLO, size: 5, type: 'file' });
    assert.equal(obj.objectPath, join(dir, 'objects', '2c', SHA256_HELLO.slice(2)));
    assert.equal(readFileSync(obj.objectPath, 'utf8'), 'hello');
    assert.equal(statSync(obj.objectPath).mode & 0o222, 0);
    assert.equal(existsSync(join(dir, 'a.txt')), false);
    assert.equal(await store.has(SHA256_HELLO), true);

    writeFileSync(join(dir, 'b.txt'), 'hello');
    const again = await store.ingest(join(dir, 'b.txt'));
    assert.equal(again.objectPath, obj.objectPath);
    assert.equal(existsSync(join(dir, 'b.txt')), false);
  } finally {
    cleanup();
  }
});

function makeTree(root: string, order: string[]): void {
  mkdirSync(root, { recursive: true });
  const files: Record<string, string> = { 'x.txt': 'x', 'sub/y.bin': 'yy', 'sub/deeper/z': 'zzz' };
  for (const name of order) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), files[name]!);
  }
  mkdirSync(join(root, 'empty'), { recursive: true });
}

test('directory hash is independent of creation order and modes, and sensitive to content and names', async () => {
  const { dir, cleanup } = tempDir();
  try {
    makeTree(join(dir, 't1'), ['x.txt', 'sub/y.bin', 'sub/deeper/z']);
    makeTree(join(dir, 't2'), ['sub/deeper/z', 'x.txt', 'sub/y.bin']);
    const { chmodSync } = await import('node:fs');
    chmodSync(join(dir, 't2', 'x.txt'), 0o755);
    const h1 = await hashPath(join(dir, 't1'));
    const h2 = await hashPath(join(dir, 't2'));
    assert.equal(h1.hash, h2.hash);
    assert.deepEqual([h1.size, h1.type], [6, 'dir']);
    writeFileSync(join(dir, 't2', 'x.txt'), 'X');
    assert.notEqual((await hashPath(join(dir, 't2'))).hash, h1.hash);
    makeTree(join(dir, 't3'), ['x.txt', 'sub/y.bin', 'sub/deeper/z']);
    mkdirSync(join(dir, 't3', 'empty2'));
    assert.notEqual((await hashPath(join(dir, 't3'))).hash, h1.hash);
  } finally {
    cleanup();
  }
});

test('ingest of a directory: read-only tree, idempotent, symlinks refused', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const store = new ObjectStore(join(dir, 'objects'));
    makeTree(join(dir, 'out1'), ['x.txt', 'sub/y.bin', 'sub/deeper/z']);
    const expected = await hashPath(join(dir, 'out1'));
    const obj = await store.ingest(join(dir, 'out1'));
    assert.equal(obj.hash, expected.hash);
    assert.equal(obj.type, 'dir');
    assert.equal(readFileSync(join(obj.objectPath, 'sub', 'deeper', 'z'), 'utf8'), 'zzz');
    assert.equal(statSync(join(obj.objectPath, 'sub')).mode & 0o222, 0);
    assert.equal(statSync(join(obj.objectPath, 'x.txt')).mode & 0o222, 0);
    if (process.getuid?.() !== 0) {
      // root ignores permission bits, so the protection itself is only observable for other users
      assert.throws(() => writeFileSync(join(obj.objectPath, 'x.txt'), 'corrupt'));
      assert.throws(() => writeFileSync(join(obj.objectPath, 'new.txt'), 'corrupt'));
    }
    assert.equal((await hashPath(obj.objectPath)).hash, obj.hash);

    makeTree(join(dir, 'out2'), ['sub/y.bin', 'sub/deeper/z', 'x.txt']);
    assert.equal((await store.ingest(join(dir, 'out2'))).objectPath, obj.objectPath);
    assert.equal(existsSync(join(dir, 'out2')), false);

    makeTree(join(dir, 'out3'), ['x.txt']);
    symlinkSync('/etc/hostname', join(dir, 'out3', 'link'));
    await assert.rejects(store.ingest(join(dir, 'out3')), /symbolic link/);
    assert.equal(existsSync(join(dir, 'out3', 'x.txt')), true);
  } finally {
    cleanup();
  }
});

test('gc removes only unreferenced objects (read-only ones included); dry run removes nothing', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const store = new ObjectStore(join(dir, 'objects'));
    writeFileSync(join(dir, 'keep'), 'keep');
    writeFileSync(join(dir, 'drop'), 'drop!');
    makeTree(join(dir, 'dropdir'), ['x.txt']);
    const keep = await store.ingest(join(dir, 'keep'));
    const drop = await store.ingest(join(dir, 'drop'));
    const dropDir = await store.ingest(join(dir, 'dropdir'));
    const dry = await store.gc(new Set([keep.hash]), { dryRun: true });
    assert.deepEqual([dry.removed, dry.bytes], [2, 6]);
    assert.equal(await store.has(drop.hash), true);
    const res = await store.gc(new Set([keep.hash]));
    assert.deepEqual([res.removed, res.bytes, res.hashes.sort()], [2, 6, [drop.hash, dropDir.hash].sort()]);
    assert.equal(await store.has(keep.hash), true);
    assert.equal(await store.has(drop.hash), false);
    assert.equal(await store.has(dropDir.hash), false);
    assert.deepEqual(await store.list(), [keep.hash]);
  } finally {
    cleanup();
  }
});

test('pathOf rejects things that are not hashes', () => {
  const store = new ObjectStore('/tmp/none');
  assert.throws(() => store.pathOf('../../etc/passwd'), /not an object hash/);
});

/** A scratch directory on another filesystem than the temp dir (tmpfs /dev/shm), when the machine has one. */
function crossDeviceDir(): string | undefined {
  try {
    if (statSync('/dev/shm').dev === statSync(tmpdir()).dev) return undefined;
    return testTempDir('sonic-xdev-', '/dev/shm');
  } catch {
    return undefined;
  }
}

const xdev = crossDeviceDir();

test('ingest across filesystems copies then renames into place (EXDEV fallback)', { skip: xdev === undefined ? 'no second filesystem' : false }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const store = new ObjectStore(join(dir, 'objects'));
    makeTree(join(xdev!, 'out'), ['x.txt', 'sub/y.bin', 'sub/deeper/z']);
    const expected = await hashPath(join(xdev!, 'out'));
    const obj = await store.ingest(join(xdev!, 'out'));
    assert.equal(obj.hash, expected.hash);
    assert.equal((await hashPath(obj.objectPath)).hash, obj.hash);
    assert.equal(existsSync(join(xdev!, 'out')), false);
    assert.deepEqual(await store.list(), [obj.hash]);
    assert.equal(statSync(join(obj.objectPath, 'x.txt')).mode & 0o222, 0);
  } finally {
    cleanup();
  }
});

test('hashPath with the store as cache reuses a hash while size, mtime and inode are unchanged', async () => {
  const { openRunStore } = await import('../../../src/engine/store/run-store.js');
  const { utimesSync } = await import('node:fs');
  const { dir, cleanup } = tempDir();
  const store = openRunStore(join(dir, '.sonic'));
  try {
    makeTree(join(dir, 'data'), ['x.txt', 'sub/y.bin', 'sub/deeper/z']);
    const x = join(dir, 'data', 'x.txt');
    const when = new Date('2026-01-01T00:00:00Z'); // whole seconds survive the round trip exactly
    utimesSync(x, when, when);
    const first = await hashPath(join(dir, 'data'), { cache: store });
    assert.equal(store.query('SELECT COUNT(*) AS n FROM file_hashes')[0]!['n'], 3);
    writeFileSync(x, 'Y'); // same size, same inode; restore the mtime so only the content differs
    utimesSync(x, when, when);
    assert.equal((await hashPath(join(dir, 'data'), { cache: store })).hash, first.hash, 'served from the cache');
    assert.notEqual((await hashPath(join(dir, 'data'))).hash, first.hash, 'without the cache the change shows');
    utimesSync(x, when, new Date(when.getTime() + 5000));
    assert.notEqual((await hashPath(join(dir, 'data'), { cache: store })).hash, first.hash, 'a new mtime invalidates');
  } finally {
    store.close();
    cleanup();
  }
});
