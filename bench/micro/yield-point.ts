// Bench: the cost of a yield point between turns (no signal, interval not yet passed), as a ratio to the
// cheapest awaited call, `await noop()` on an async function that does nothing. The test suite checks what a
// yield point does; how fast it is lives here, where a busy machine cannot fail the build.
// Usage: node dist/bench/micro/yield-point.js [CALLS=100000] [ROUNDS=9]
import { yieldPoint } from '../../src/compute/yield-point.js';
import { medianMsAsync } from './timing.js';

const calls = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 9);

const noop = async (): Promise<void> => {};
const point = yieldPoint();

const referenceMs = await medianMsAsync(rounds, async () => {
  for (let i = 0; i < calls; i++) await noop();
});
const pointMs = await medianMsAsync(rounds, async () => {
  for (let i = 0; i < calls; i++) await point();
});
const us = (ms: number) => ((ms * 1000) / calls).toFixed(3);
console.log(`calls per round: ${calls}, rounds: ${rounds} (medians)`);
console.log(`await noop():    ${us(referenceMs)} µs per call`);
console.log(`await point():   ${us(pointMs)} µs per call`);
console.log(`ratio point / noop: ${(pointMs / referenceMs).toFixed(2)}×`);
