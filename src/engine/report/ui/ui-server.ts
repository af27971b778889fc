// `sonic ui`: a local, read-only HTTP server over a workspace (node:http, no framework). The run store is
// opened read-only and nothing under the workspace is ever written. Pages carry no scripts; files are only
// served from stage runs' artifacts and logs, inside the workspace (see workspace-files.ts).
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openRunStore, type SqliteRunStore } from '../../store/run-store.js';
import { artifactDirPage } from './artifact-dir-page.js';
import { declaredName } from './artifact-images.js';
import { comparePage, CompareRequestError } from './compare-page.js';
import { dagPage } from './dag-page.js';
import { html } from './html.js';
import { page } from './layout.js';
import { runPage } from './run-page.js';
import { runsPage } from './runs-page.js';
import { stageRunPage } from './stage-run-page.js';
import { contentTypeOf, isInside, resolveInside } from './workspace-files.js';

export const DEFAULT_UI_PORT = 4780;
export const DEFAULT_UI_HOST = '127.0.0.1';

const PAGE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
// artifact files (an HTML report, an SVG) open in a sandbox: no scripts, no access to the UI's origin
const FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

export interface UiServerOptions {
  workspace: string; // the .sonic directory
  host?: string;
  port?: number;
  runsLimit?: number; // runs on the front page (default 200)
  log?: (line: string) => void; // internal errors are reported here (default stderr)
}

export interface UiServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

class NotFound extends Error {}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, csp = PAGE_CSP): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sendFile(req: IncomingMessage, res: ServerResponse, path: string, type: string): void {
  const size = statSync(path).size;
  res.writeHead(200, {
    'content-type': type,
    'content-length': size,
    'content-security-policy': FILE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(path).pipe(res);
}

function messagePage(store: SqliteRunStore, title: string, message: string): string {
  return page({ title, crumbs: [['runs', '/']], workspace: store.workspace, body: html`<p>${message}</p>` });
}

/** Loopback servers answer only to loopback host names: a page elsewhere cannot reach them by DNS rebinding. */
function hostAllowed(host: string | undefined, bound: string): boolean {
  if (!['127.0.0.1', '::1', 'localhost'].includes(bound)) return true;
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return ['127.0.0.1', 'localhost', '[::1]'].includes(name);
}

function idOf(s: string | undefined): number {
  if (s === undefined || !/^\d{1,15}$/.test(s)) throw new NotFound();
  return Number(s);
}

async function route(store: SqliteRunStore, req: IncomingMessage, res: ServerResponse, runsLimit: number): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://ui.invalid');
  let parts: string[];
  try {
    parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw new NotFound();
  }
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  const htmlType = 'text/html; charset=utf-8';
  const found = (body: string | undefined) => {
    if (body === undefined) throw new NotFound();
    send(res, 200, htmlType, body);
  };
  const [a, b, c, d, ...rest] = parts;
  if (parts.length === 1 && a === '') return found(runsPage(store, runsLimit));
  if (a === 'runs' && parts.length === 2) return found(await runPage(store, idOf(b)));
  if (a === 'runs' && parts.length === 3 && c === 'dag') return found(dagPage(store, idOf(b), url.searchParams.has('all')));
  if (a === 'compare' && parts.length === 1) {
    const ids = url.searchParams.getAll('run').map((s) => (/^\d{1,15}$/.test(s) ? Number(s) : Number.NaN));
    try {
      if (ids.some(Number.isNaN)) throw new CompareRequestError('run ids are numbers');
      return found(await comparePage(store, ids, url.searchParams.has('all')));
    } catch (e) {
      if (!(e instanceof CompareRequestError)) throw e;
      return send(res, 400, htmlType, messagePage(store, 'Cannot compare', e.message));
    }
  }
  if (a === 'stage-runs' && parts.length === 2) return found(await stageRunPage(store, idOf(b)));
  const stageRun = a === 'stage-runs' ? store.stageRun(idOf(b)) : undefined;
  if (stageRun !== undefined && c === 'log' && parts.length === 3) {
    const log = stageRun.logPath;
    if (log === null || !isInside(store.workspace, log)) throw new NotFound();
    return sendFile(req, res, log, 'text/plain; charset=utf-8');
  }
  if (stageRun !== undefined && c === 'files' && d !== undefined) {
    if (stageRun.status !== 'succeeded' && stageRun.status !== 'cached') throw new NotFound();
    const artifact = store.artifactsOf(stageRun.id).find((x) => x.name === d);
    if (artifact === undefined) throw new NotFound();
    const path = resolveInside(store.workspace, artifact.objectPath, rest);
    if (path === null) throw new NotFound();
    if (statSync(path).isDirectory()) return found(artifactDirPage(store.workspace, stageRun, artifact.name, path, rest));
    const name = rest.length === 0 ? declaredName(stageRun, artifact) : rest[rest.length - 1]!;
    return sendFile(req, res, path, contentTypeOf(path, name));
  }
  throw new NotFound();
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const store = openRunStore(options.workspace, { readonly: true });
  const host = options.host ?? DEFAULT_UI_HOST;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('sonic ui is read-only\n');
      return;
    }
    if (!hostAllowed(req.headers.host, host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('sonic ui answers to localhost only\n');
      return;
    }
    route(store, req, res, options.runsLimit ?? 200).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof NotFound) {
        send(res, 404, 'text/html; charset=utf-8', messagePage(store, 'Not found', `nothing at ${req.url ?? ''}`));
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      log(`sonic ui: ${req.method} ${req.url}: ${message}`);
      send(res, 500, 'text/html; charset=utf-8', messagePage(store, 'Error', message));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_UI_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}
