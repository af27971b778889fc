// Integration tests of runPipeline: real child processes, a real SQLite store, temp directories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, RunUsageError, type RunPipelineOptions } from '../../../src/engine/runner/run-pipeline.js';
import { openRunStore } from '../../../src/engine/store/run-store.js';
import type { Pipeline } from '../../../src/engine/config/pipeline-model.js';
import type { RunEvent } from '../../../src/engine/events/run-events.js';
import { catalogOf, file, out, outs, pipeline, stage, TRIVIAL_STAGES_MODULE } from './fixtures/pipeline-builder.js';

const NODE = process.execPath;
const COPY = 'require("fs").copyFileSync(process.argv[1], process.argv[2])';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sonic-runner-'));
}

function options(dir: string, extra: Partial<RunPipelineOptions> = {}): RunPipelineOptions {
  return {
    workspace: join(dir, '.sonic'),
    catalog: catalogOf(),
    stageModules: [TRIVIAL_STAGES_MODULE],
    gpus: [],
    retryBaseDelayMs: 20,
    killGraceMs: 2000,
    ...extra,
  };
}

function diamond(dir: string, scale = 1, text = '1 2 3'): Pipeline {
  return pipeline(dir, [
    stage({ id: 'a', uses: 'test/write-text', with: { text }, outputs: { text: 'a.txt' } }),
    stage({ id: 'b', uses: 'test/sum-numbers', with: { scale }, inputs: { numbers: out('a', 'text', true) }, outputs: { sum: 'sum.txt' } }),
    stage({ id: 'c', run: [NODE, '-e', COPY, '${{ inputs.src }}', '${{ outputs.copy }}'], inputs: { src: out('a', 'text') }, outputs: { copy: 'copy.txt' } }),
    stage({
      id: 'd',
      uses: 'test/sum-numbers',
      with: { scale: 1 },
      inputs: { numbers: outs([['b', 'sum'], ['c', 'copy']]) },
      outputs: { sum: { path: 'total.txt', publish: join(dir, 'results', 'total.txt') } },
      tags: { exp: 'diamond' },
    }),
  ]);
}

const executed = (s: { stages: { stageId: string; status: string }[] }) => s.stages.filter((x) => x.status === 'succeeded').map((x) => x.stageId);

test('diamond DAG: runs in order, records outputs and metrics, publishes; a second run executes nothing', async () => {
  const dir = tempDir();
  try {
    const first = await runPipeline(diamond(dir), options(dir));
    assert.equal(first.status, 'succeeded');
    assert.equal(first.exitCode, 0);
    assert.deepEqual(executed(first).sort(), ['a', 'b', 'c', 'd']);
    const d = first.stages.find((s) => s.stageId === 'd')!;
    assert.equal(readFileSync(d.outputs!.sum!, 'utf8'), '12');
    assert.equal(readFileSync(join(dir, 'results', 'total.txt'), 'utf8'), '12');

    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      const m = store.metrics({ stage: 'd', name: 'sum' });
      assert.equal(m.length, 1);
      assert.equal(m[0]!.value, 12);
      assert.deepEqual(m[0]!.tags, { exp: 'diamond' });
      const files = store.metrics({ stage: 'd', name: 'files' });
      assert.deepEqual(files[0]!.tags, { exp: 'diamond', kind: 'count' });
      const arts = store.artifactsOf(d.stageRunId!);
      assert.equal(arts.length, 1);
      assert.equal(arts[0]!.name, 'sum');
    } finally {
      store.close();
    }

    rmSync(join(dir, 'results'), { recursive: true });
    const second = await runPipeline(diamond(dir), options(dir));
    assert.equal(second.status, 'succeeded');
    assert.deepEqual(executed(second), []);
    assert.equal(second.counts.cached, 4);
    assert.match(second.stages[0]!.reason, /^cached \(stage run \d+ of run 1\)$/);
    assert.equal(readFileSync(join(dir, 'results', 'total.txt'), 'utf8'), '12', 'publish restored on a cache hit');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a changed param reruns exactly the dependent stages, and the dry run names the key', async () => {
  const dir = tempDir();
  try {
    await runPipeline(diamond(dir), options(dir));
    const dry = await runPipeline(diamond(dir, 2), options(dir, { dryRun: true }));
    const reasons = Object.fromEntries(dry.plan.map((p) => [p.stage.id, `${p.decision}: ${p.reason}`]));
    assert.match(reasons.a!, /^cached/);
    assert.match(reasons.c!, /^cached/);
    assert.equal(reasons.b, 'run: params changed: scale');
    assert.match(reasons.d!, /^cached: runs if the outputs of b change \(else cached: stage run \d+ of run 1\)$/);
    assert.equal(dry.runId, null);

    const rerun = await runPipeline(diamond(dir, 2), options(dir));
    assert.deepEqual(executed(rerun).sort(), ['b', 'd']);
    const d = rerun.stages.find((s) => s.stageId === 'd')!;
    assert.equal(readFileSync(d.outputs!.sum!, 'utf8'), '18');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('input file change, --force (base id) and targets', async () => {
  const dir = tempDir();
  try {
    const numbers = join(dir, 'numbers.txt');
    writeFileSync(numbers, '4 5');
    const p = () =>
      pipeline(dir, [
        stage({ id: 'sum', uses: 'test/sum-numbers', inputs: { numbers: file(numbers, true) }, outputs: { sum: 's.txt' } }),
        stage({ id: 'copy', run: [NODE, '-e', COPY, '${{ inputs.s }}', '${{ outputs.c }}'], inputs: { s: out('sum', 'sum') }, outputs: { c: 'c.txt' } }),
        stage({ id: 'other', uses: 'test/write-text', with: { text: 'x' }, outputs: { text: 't' } }),
      ]);
    const onlyCopy = await runPipeline(p(), options(dir, { targets: ['copy'] }));
    assert.deepEqual(executed(onlyCopy).sort(), ['copy', 'sum']);

    writeFileSync(numbers, '4 6');
    const dry = await runPipeline(p(), options(dir, { dryRun: true }));
    const why = Object.fromEntries(dry.plan.map((x) => [x.stage.id, x.reason]));
    assert.equal(why.sum, 'input changed: numbers');
    assert.match(why.copy!, /^runs if the outputs of sum change \(else cached: stage run \d+ of run 1\)$/);
    assert.equal(why.other, 'never ran');

    const forced = await runPipeline(p(), options(dir, { dryRun: true, force: ['other', 'sum'] }));
    assert.equal(forced.plan.find((x) => x.stage.id === 'sum')!.reason, 'forced (--force)');

    await assert.rejects(runPipeline(p(), options(dir, { targets: ['nope'] })), (e: unknown) => e instanceof RunUsageError && /unknown target "nope"/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('matrix instances run separately and a base-id target selects them all', async () => {
  const dir = tempDir();
  try {
    const p = pipeline(
      dir,
      ['x', 'y', 'z'].map((t) => stage({ id: `w[t=${t}]`, baseId: 'w', matrix: { t }, uses: 'test/write-text', with: { text: t }, outputs: { text: 'o' }, tags: { t } })).concat([
        stage({ id: 'other', uses: 'test/write-text', with: { text: 'o' }, outputs: { text: 'o' } }),
      ]),
    );
    const r = await runPipeline(p, options(dir, { targets: ['w'] }));
    assert.deepEqual(executed(r).sort(), ['w[t=x]', 'w[t=y]', 'w[t=z]']);
    for (const s of r.stages) assert.equal(readFileSync(s.outputs!.text!, 'utf8'), s.stageId.slice(4, 5));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failure skips dependents, independent stages finish, retries are recorded, the log path is named', async () => {
  const dir = tempDir();
  try {
    const events: RunEvent[] = [];
    const p = pipeline(dir, [
      stage({ id: 'bad', uses: 'test/fail', with: { message: 'boom' }, outputs: { never: 'n' }, retries: 2 }),
      stage({ id: 'after', run: [NODE, '-e', COPY, '${{ inputs.n }}', '${{ outputs.o }}'], inputs: { n: out('bad', 'never') }, outputs: { o: 'o' } }),
      stage({ id: 'fine', uses: 'test/write-text', with: { text: 'ok' }, outputs: { text: 't' } }),
      stage({ id: 'no-output', run: [NODE, '-e', ''], outputs: { missing: 'm.txt' } }),
    ]);
    const r = await runPipeline(p, options(dir, { onEvent: (e) => events.push(e) }));
    assert.equal(r.status, 'failed');
    assert.equal(r.exitCode, 1);
    const by = Object.fromEntries(r.stages.map((s) => [s.stageId, s]));
    assert.equal(by.bad!.status, 'failed');
    assert.equal(by.bad!.attempt, 3);
    assert.equal(by.bad!.error, 'boom');
    assert.ok(by.bad!.logPath && readFileSync(by.bad!.logPath, 'utf8').includes('about to fail'));
    assert.equal(by.after!.status, 'skipped');
    assert.equal(by.after!.reason, 'upstream failed: bad');
    assert.equal(by.fine!.status, 'succeeded');
    assert.equal(by['no-output']!.status, 'failed');
    assert.match(by['no-output']!.error!, /declared output not written by no-output: missing/);
    const retries = events.filter((e) => e.type === 'stage-finished' && e.stageId === 'bad' && e.willRetry);
    assert.equal(retries.length, 2);
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      const attempts = store.stageRunsOf(r.runId!).filter((s) => s.stageId === 'bad').map((s) => [s.attempt, s.status]);
      assert.deepEqual(attempts, [[1, 'failed'], [2, 'failed'], [3, 'failed']]);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with one slot, the ready stage with the highest priority (own or passed on by a dependent) starts first', async () => {
  const dir = tempDir();
  try {
    const events: RunEvent[] = [];
    const copy = (id: string, from: string, priority?: number) =>
      stage({ id, run: [NODE, '-e', COPY, '${{ inputs.src }}', '${{ outputs.text }}', id], inputs: { src: out(from, 'text') }, outputs: { text: 't.txt' }, priority });
    const p = pipeline(dir, [
      stage({ id: 'root', uses: 'test/write-text', with: { text: 'r' }, outputs: { text: 't' } }),
      copy('plain', 'root'),
      copy('chain', 'root'),
      copy('urgent', 'root', 1),
      copy('end', 'chain', 2),
    ]);
    const r = await runPipeline(p, options(dir, { jobs: 1, onEvent: (e) => events.push(e) }));
    assert.equal(r.status, 'succeeded');
    const started = events.filter((e) => e.type === 'stage-started').map((e) => (e as { stageId: string }).stageId);
    assert.deepEqual(started, ['root', 'chain', 'end', 'urgent', 'plain']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--fail-fast cancels running stages and does not start others', async () => {
  const dir = tempDir();
  try {
    const p = pipeline(dir, [
      stage({ id: 'bad', uses: 'test/fail', outputs: { never: 'n' } }),
      stage({ id: 'slow', uses: 'test/sleep', with: { ms: 20_000 }, outputs: { done: 'd' } }),
      stage({ id: 'later', uses: 'test/write-text', with: { text: 'x' }, outputs: { text: 't' }, resources: { cpu: 2 } }),
    ]);
    const r = await runPipeline(p, options(dir, { failFast: true, jobs: 2, cpus: 2 }));
    const by = Object.fromEntries(r.stages.map((s) => [s.stageId, s.status]));
    assert.deepEqual(by, { bad: 'failed', slow: 'interrupted', later: 'skipped' });
    assert.equal(r.status, 'failed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GPU slots: two gpu:1 stages get distinct devices in CUDA_VISIBLE_DEVICES; oversized requests are refused', async () => {
  const dir = tempDir();
  try {
    const p = pipeline(dir, [
      stage({ id: 'g1', uses: 'test/sleep', with: { ms: 300 }, outputs: { done: 'd' }, resources: { gpu: 1 } }),
      stage({ id: 'g2', run: [NODE, '-e', 'require("fs").writeFileSync(process.argv[1], "cuda=" + process.env.CUDA_VISIBLE_DEVICES)', '${{ outputs.done }}'], outputs: { done: 'd' }, resources: { gpu: 1 } }),
    ]);
    const r = await runPipeline(p, options(dir, { gpus: [0, 1], jobs: 2, cpus: 2 }));
    assert.equal(r.status, 'succeeded');
    const texts = r.stages.map((s) => readFileSync(s.outputs!.done!, 'utf8'));
    const devices = texts.map((t) => /cuda=(\d*)/.exec(t)![1]).sort();
    assert.deepEqual(devices, ['0', '1']);
    assert.match(texts[0]!, /^gpus=(\d) cuda=\1$/);

    const big = pipeline(dir, [stage({ id: 'huge', uses: 'test/sleep', with: { ms: 1 }, outputs: { done: 'd' }, resources: { gpu: 3 } })]);
    await assert.rejects(runPipeline(big, options(dir, { gpus: [0, 1] })), (e: unknown) => e instanceof RunUsageError && /huge.*gpu 3 > 2 available GPUs \(0,1\)/.test(e.message));
    assert.ok(!existsSync(join(dir, '.sonic', 'lock')), 'lock released after a usage error');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stages rerun outside their fingerprint (force, cache: false): dependents rerun only if the outputs changed', async () => {
  const dir = tempDir();
  try {
    const WRITE = 'require("fs").writeFileSync(process.argv[1], process.argv[2] === "random" ? String(Math.random()) : "constant")';
    const p = () =>
      pipeline(dir, [
        stage({ id: 'random', run: [NODE, '-e', WRITE, '${{ outputs.o }}', 'random'], outputs: { o: 'o' }, cache: false }),
        stage({ id: 'constant', run: [NODE, '-e', WRITE, '${{ outputs.o }}', 'constant'], outputs: { o: 'o' }, cache: false }),
        stage({ id: 'from-random', run: [NODE, '-e', COPY, '${{ inputs.i }}', '${{ outputs.o }}'], inputs: { i: out('random', 'o') }, outputs: { o: 'o' } }),
        stage({ id: 'from-constant', run: [NODE, '-e', COPY, '${{ inputs.i }}', '${{ outputs.o }}'], inputs: { i: out('constant', 'o') }, outputs: { o: 'o' } }),
        stage({ id: 'leaf', run: [NODE, '-e', COPY, '${{ inputs.i }}', '${{ outputs.o }}'], inputs: { i: out('from-constant', 'o') }, outputs: { o: 'o' } }),
      ]);
    await runPipeline(p(), options(dir));
    const dry = await runPipeline(p(), options(dir, { dryRun: true }));
    assert.match(dry.plan.find((x) => x.stage.id === 'from-random')!.reason, /^runs if the outputs of random change \(else cached: stage run \d+ of run 1\)$/);
    assert.match(dry.plan.find((x) => x.stage.id === 'leaf')!.reason, /^runs if the outputs of from-constant change /);

    const second = await runPipeline(p(), options(dir));
    const by = Object.fromEntries(second.stages.map((s) => [s.stageId, `${s.status}: ${s.reason}`]));
    assert.equal(by.random, 'succeeded: cache disabled (cache: false)');
    assert.equal(by.constant, 'succeeded: cache disabled (cache: false)');
    assert.equal(by['from-random'], 'succeeded: upstream changed: random');
    assert.match(by['from-constant']!, /^cached: cached \(stage run \d+ of run 1\)$/);
    assert.match(by.leaf!, /^cached: /);

    const forced = await runPipeline(diamond(dir), options(dir));
    assert.deepEqual(executed(forced).sort(), ['a', 'b', 'c', 'd']);
    const again = await runPipeline(diamond(dir), options(dir, { force: ['a'] }));
    assert.deepEqual(executed(again), ['a'], 'a deterministic forced stage leaves its dependents cached');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('command stages report metrics through $SONIC_EVENTS; a worker that cannot find its stage fails cleanly', async () => {
  const dir = tempDir();
  try {
    const EMIT =
      'const fs=require("fs");fs.appendFileSync(process.env.SONIC_EVENTS, JSON.stringify({t:Date.now(),type:"metric",name:"acc",value:0.75,step:3})+"\\n");' +
      'fs.appendFileSync(process.env.SONIC_EVENTS, "not json\\n");fs.writeFileSync(process.argv[1], process.env.SONIC_STAGE_ID)';
    const p = pipeline(dir, [stage({ id: 'cmd', run: [NODE, '-e', EMIT, '${{ outputs.o }}'], outputs: { o: 'o' }, tags: { split: 'test' } })]);
    const r = await runPipeline(p, options(dir));
    assert.equal(r.status, 'succeeded');
    assert.equal(readFileSync(r.stages[0]!.outputs!.o!, 'utf8'), 'cmd');
    const store = openRunStore(join(dir, '.sonic'), { readonly: true });
    try {
      const m = store.metrics({ stage: 'cmd' });
      assert.deepEqual(m.map((x) => [x.name, x.value, x.step, x.tags]), [['acc', 0.75, 3, { split: 'test' }]]);
    } finally {
      store.close();
    }

    const lost = pipeline(dir, [stage({ id: 'w', uses: 'test/write-text', with: { text: 'x' }, outputs: { text: 't' } })]);
    const f = await runPipeline(lost, options(dir, { stageModules: [] }));
    assert.equal(f.stages[0]!.status, 'failed');
    assert.match(f.stages[0]!.error!, /unknown stage "test\/write-text"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('directory outputs are published, and a modified published copy is restored on a cache hit', async () => {
  const dir = tempDir();
  try {
    const MKDIR = 'const fs=require("fs");const d=process.argv[1];fs.mkdirSync(d+"/sub",{recursive:true});fs.writeFileSync(d+"/a.txt","A");fs.writeFileSync(d+"/sub/b.txt","B")';
    const dest = join(dir, 'results', 'tree');
    const p = pipeline(dir, [stage({ id: 'tree', run: [NODE, '-e', MKDIR, '${{ outputs.t }}'], outputs: { t: { path: 'tree/', publish: dest } } })]);
    const first = await runPipeline(p, options(dir));
    assert.equal(first.status, 'succeeded', first.stages[0]!.error);
    assert.equal(readFileSync(join(dest, 'sub', 'b.txt'), 'utf8'), 'B');
    writeFileSync(join(dest, 'a.txt'), 'edited by hand');
    const second = await runPipeline(p, options(dir));
    assert.equal(second.counts.cached, 1);
    assert.equal(readFileSync(join(dest, 'a.txt'), 'utf8'), 'A');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
