// Opt-in multi-threaded tfjs-wasm in Node (node-ml-probe §1.2). tfjs hard-codes threads off in Node because
// Emscripten hands its pthread workers Blob URLs, which worker_threads cannot load. This shim:
//   1. makes Blob remember its text and URL.createObjectURL write that text to a temp file (prefixed with the
//      CommonJS names the rollup bundle's factory source refers to),
//   2. makes worker_threads.Worker rewrite Blob script references in messages to those files, and unref
//      the workers so they do not keep the process alive,
//   3. fakes os.cpus() during initialisation, because XNNPACK caps threads at half the logical cores.
// It is an unsupported hack: it must run before the wasm backend is first initialised.
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const BUNDLE_PRELUDE =
  "var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks'),require$$4=require('os'),commonjsGlobal=globalThis;\n";
const TEXT = Symbol('blobText');
const FILE = Symbol('blobFile');

type TextBlob = Blob & { [TEXT]?: string; [FILE]?: string };

let installed = false;
// Workers must keep the process alive while the backend initialises (it awaits their 'loaded' messages);
// once it is up they are unref'd so a finished script can exit.
const workers: import('node:worker_threads').Worker[] = [];
let releaseWorkers = false;

function install(): void {
  if (installed) return;
  installed = true;
  const dir = mkdtempSync(join(tmpdir(), 'sonic-wasm-threads-'));
  // Emscripten may start further workers at any time, so the scripts stay until the process ends.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  let counter = 0;
  const OriginalBlob = globalThis.Blob;
  class RememberingBlob extends OriginalBlob {
    constructor(parts: ConstructorParameters<typeof Blob>[0] = [], options?: ConstructorParameters<typeof Blob>[1]) {
      super(parts, options);
      if (parts?.every((p) => typeof p === 'string')) (this as TextBlob)[TEXT] = parts.join('');
    }
  }
  globalThis.Blob = RememberingBlob as typeof Blob;
  const fileFor = (blob: TextBlob): string | undefined => {
    const text = blob[TEXT];
    if (text === undefined) return undefined;
    if (!blob[FILE]) {
      const file = join(dir, `script-${counter++}.cjs`);
      writeFileSync(file, BUNDLE_PRELUDE + text);
      blob[FILE] = file;
    }
    return blob[FILE];
  };
  const originalCreateObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob) => fileFor(obj as TextBlob) ?? originalCreateObjectURL(obj);

  const workerThreads = require('node:worker_threads') as typeof import('node:worker_threads');
  const OriginalWorker = workerThreads.Worker;
  class FileScriptWorker extends OriginalWorker {
    constructor(filename: string | URL, options?: import('node:worker_threads').WorkerOptions) {
      super(filename, options);
      workers.push(this);
      if (releaseWorkers) this.unref();
    }
    // Emscripten subscribes with worker.on('message'), and a 'message' listener re-refs the port.
    override on(event: string | symbol, listener: (...args: any[]) => void): this {
      super.on(event, listener);
      if (event === 'message' && releaseWorkers) this.unref();
      return this;
    }
    override postMessage(value: unknown, transferList?: readonly import('node:worker_threads').TransferListItem[]): void {
      if (value && typeof value === 'object' && 'urlOrBlob' in value) {
        const msg = value as { urlOrBlob: unknown };
        if (msg.urlOrBlob instanceof OriginalBlob) {
          const file = fileFor(msg.urlOrBlob as TextBlob);
          if (file) value = { ...msg, urlOrBlob: file };
        }
      }
      super.postMessage(value, transferList);
    }
  }
  workerThreads.Worker = FileScriptWorker;
}

/**
 * Initialises the wasm backend with `threads` XNNPACK threads; returns the count actually running.
 * Throws if the wasm backend was already initialised (threads cannot be added afterwards).
 */
export async function enableWasmThreads(threads: number): Promise<number> {
  const engine = tf.engine() as unknown as { registry: Record<string, unknown> };
  if (engine.registry.wasm) {
    if (getThreadsCount() >= threads) return getThreadsCount();
    throw new Error('the wasm backend is already initialised single-threaded; select the backend with threads before any wasm work');
  }
  install();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  const os = require('node:os') as typeof import('node:os');
  const realCpus = os.cpus;
  const need = Math.ceil((threads * 2) / Math.max(realCpus().length, 1));
  os.cpus = () => Array.from({ length: Math.max(need, 1) }, () => realCpus()).flat();
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise with threads');
  } finally {
    os.cpus = realCpus;
  }
  releaseWorkers = true;
  for (const w of workers) w.unref();
  return getThreadsCount();
}
