// `sonic ui` over HTTP (no browser): pages, read-only guarantees, escaping, and path traversal refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startUiServer, type UiServer } from '../../../../src/engine/report/ui/ui-server.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { makeUiWorkspace } from './fixtures/ui-workspace.js';

const MAIN = fileURLToPath(new URL('../../../../src/cli/main.js', import.meta.url));
let workspace = '';
let ui: UiServer;

/**
 * Every file under the workspace with its size, mtime and content hash: what "never writes" is checked
 * against. SQLite's WAL coordination files (sonic.db-wal, sonic.db-shm) are left out: any reader of a WAL
 * database, `sonic runs` as much as the UI, may create them; sonic.db itself must stay byte-identical.
 */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (/sonic\.db-(wal|shm)$/.test(p)) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[p] = `${statSync(p).size}:${statSync(p).mtimeMs}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; type: string; csp: string; body: string }> {
  const url = new URL(ui.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), csp: String(res.headers['content-security-policy'] ?? ''), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

let before_: Record<string, string> = {};
before(async () => {
  workspace = makeUiWorkspace(tempDir('sonic-ui-server-'));
  before_ = snapshot(workspace);
  ui = await startUiServer({ workspace, port: 0 });
});
after(async () => {
  await ui?.close();
});

test('binds to 127.0.0.1 by default and serves every page with no scripts and a strict CSP', async () => {
  assert.match(ui.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  for (const path of ['/', '/runs/1', '/runs/2', '/runs/2/dag', '/stage-runs/5', '/stage-runs/6', '/compare?run=1&run=2', '/stage-runs/7/files/sheets']) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.type, 'text/html; charset=utf-8');
    assert.match(r.csp, /default-src 'none'/);
    assert.doesNotMatch(r.body, /<script/i, `${path} has no scripts`);
  }
});

test('text from the store is escaped: error messages, log lines, file names', async () => {
  const run = await get('/runs/2');
  assert.match(run.body, /deliberate &lt;failure&gt;/);
  assert.doesNotMatch(run.body, /<failure>/);
  const stage = await get('/stage-runs/5');
  assert.match(stage.body, /training &lt;b&gt;not bold&lt;\/b&gt; &amp; &quot;quoted&quot;/);
});

test('artifacts and logs are served with their type; an HTML-ish text file stays text, in a sandbox', async () => {
  const png = await get('/stage-runs/7/files/grid');
  assert.equal(png.status, 200);
  assert.equal(png.type, 'image/png');
  const nested = await get('/stage-runs/7/files/sheets/sub/b.png');
  assert.equal(nested.type, 'image/png');
  const text = await get('/stage-runs/7/files/sheets/notes.txt');
  assert.equal(text.type, 'text/plain; charset=utf-8');
  assert.match(text.csp, /^sandbox/);
  const log = await get('/stage-runs/5/log');
  assert.equal(log.type, 'text/plain; charset=utf-8');
  assert.match(log.body, /training <b>not bold<\/b>/);
  assert.equal((await get('/stage-runs/6/files/never')).status, 404, 'a failed stage has no artifacts');
});

test('path traversal and other paths outside the artifacts are refused', async () => {
  for (const path of [
    '/stage-runs/7/files/sheets/../../../sonic.db',
    '/stage-runs/7/files/sheets/..%2F..%2F..%2Fsonic.db',
    '/stage-runs/7/files/sheets/%2e%2e/%2e%2e/%2e%2e/sonic.db',
    '/stage-runs/7/files/sheets/%2Fetc%2Fpasswd',
    '/stage-runs/7/files/sheets/sub%00/b.png',
    '/stage-runs/7/files/grid/x',
    '/stage-runs/7/files/nope',
    '/stage-runs/999/log',
    '/runs/abc',
    '/runs/999',
    '/sonic.db',
  ]) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.doesNotMatch(r.body, /SQLite format/);
  }
});

test('read-only: other methods are refused, foreign Host headers too, and the workspace is never written', async () => {
  assert.equal((await get('/', {}, 'POST')).status, 405);
  assert.equal((await get('/', {}, 'DELETE')).status, 405);
  assert.equal((await get('/', { host: 'attacker.example:80' })).status, 421);
  assert.equal((await get('/', { host: `localhost:${new URL(ui.url).port}` })).status, 200);
  const bad = await get('/compare?run=1');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /choose two or more runs/);
  assert.equal((await get('/compare?run=1&run=x')).status, 400);
  assert.equal((await get('/compare?run=1&run=42')).status, 400);
  assert.deepEqual(snapshot(workspace), before_, 'no file in the workspace was created, changed or removed');
});

test('sonic ui: prints its URL, serves until SIGINT, exits 0; a port in use is a clear usage error', async () => {
  const cwd = dirname(workspace);
  const child = spawn(process.execPath, [MAIN, 'ui', '--port', '0'], { cwd, env: { ...process.env, SONIC_WORKSPACE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('close', () => reject(new Error(`sonic ui exited: ${out}${err}`)));
  });
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /run 2/);
  const port = new URL(url).port;
  const clash = spawn(process.execPath, [MAIN, 'ui', '--port', port], { cwd, env: { ...process.env, SONIC_WORKSPACE: '' } });
  let clashErr = '';
  clash.stderr.on('data', (d) => (clashErr += d));
  const clashCode = await new Promise((r) => clash.on('close', r));
  assert.equal(clashCode, 2);
  assert.match(clashErr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use; choose another with --port`));
  child.kill('SIGINT');
  const code = await new Promise((r) => child.on('close', r));
  assert.equal(code, 0, err);
  assert.deepEqual(snapshot(workspace), before_);
});
