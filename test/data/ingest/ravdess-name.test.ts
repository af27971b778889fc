import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRavdessName } from '../../../src/data/ingest/ravdess-name.js';

test('RAVDESS names: valid names parse into their fields', () => {
  const table: Array<[string, Record<string, unknown>]> = [
    ['01-02-03-01-01-01-12.mp4', { modality: 'full-av', vocalChannel: 'song', emotion: 'happy', intensity: 'normal', statement: 1, repetition: 1, actor: 12, take: '02-03-01-01-01-12' }],
    ['Actor_07/02-02-06-02-02-02-07.mp4', { modality: 'video-only', vocalChannel: 'song', emotion: 'fearful', intensity: 'strong', statement: 2, repetition: 2, actor: 7, take: '02-06-02-02-02-07' }],
    ['03-02-01-01-02-01-24.wav', { modality: 'audio-only', vocalChannel: 'song', emotion: 'neutral', actor: 24 }],
    ['01-01-08-02-01-01-01.mp4', { vocalChannel: 'speech', emotion: 'surprised', intensity: 'strong' }],
    ['01-01-07-01-01-01-03', { vocalChannel: 'speech', emotion: 'disgust', actor: 3 }],
    ['C:\\data\\Actor_02\\01-02-05-02-01-02-02.mp4', { emotion: 'angry', repetition: 2, actor: 2 }],
  ];
  for (const [name, expected] of table) {
    const r = parseRavdessName(name);
    assert.ok(r.ok, `${name}: ${!r.ok ? r.reason : ''}`);
    for (const [k, v] of Object.entries(expected)) assert.equal((r.name as unknown as Record<string, unknown>)[k], v, `${name}: ${k}`);
  }
});

test('RAVDESS names: bad names are rejected with the reason', () => {
  const table: Array<[string, RegExp]> = [
    ['01-02-03-01-01-01.mp4', /7 dash-separated .* found 6/],
    ['01-02-03-01-01-01-01-01.mp4', /found 8/],
    ['readme.mp4', /found 1/],
    ['1-02-03-01-01-01-01.mp4', /field 1 '1' is not two digits/],
    ['01-02-0x-01-01-01-01.mp4', /field 3 '0x'/],
    ['04-02-03-01-01-01-01.mp4', /modality '04'/],
    ['01-03-03-01-01-01-01.mp4', /vocal channel '03'/],
    ['01-02-00-01-01-01-01.mp4', /emotion '00' is not 01–08/],
    ['01-01-09-01-01-01-01.mp4', /emotion '09'/],
    ['01-02-07-01-01-01-01.mp4', /'07' \(disgust\) does not exist for song/],
    ['01-02-08-01-01-01-01.mp4', /'08' \(surprised\) does not exist for song/],
    ['01-02-03-03-01-01-01.mp4', /intensity '03'/],
    ['01-02-01-02-01-01-01.mp4', /neutral has no strong intensity/],
    ['01-02-03-01-03-01-01.mp4', /statement '03'/],
    ['01-02-03-01-01-00-01.mp4', /repetition '00'/],
    ['01-02-03-01-01-01-25.mp4', /actor '25' is not 01–24/],
    ['01-02-03-01-01-01-00.mp4', /actor '00'/],
  ];
  for (const [name, reason] of table) {
    const r = parseRavdessName(name);
    assert.equal(r.ok, false, `${name} should be rejected`);
    if (!r.ok) assert.match(r.reason, reason, name);
  }
});
