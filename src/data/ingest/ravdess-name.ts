// RAVDESS file names: MM-VV-EE-II-SS-RR-AA.ext (modality, vocal channel, emotion, intensity, statement,
// repetition, actor), two digits each [Livingstone & Russo 2018].
import { RAVDESS_EMOTIONS } from './labels.js';

export const RAVDESS_MODALITIES = { '01': 'full-av', '02': 'video-only', '03': 'audio-only' } as const;
export type RavdessModality = (typeof RAVDESS_MODALITIES)[keyof typeof RAVDESS_MODALITIES];

export interface RavdessName {
  modality: RavdessModality;
  vocalChannel: 'speech' | 'song';
  emotion: (typeof RAVDESS_EMOTIONS)[number];
  intensity: 'normal' | 'strong';
  statement: 1 | 2;
  repetition: 1 | 2;
  actor: number;
  /** The name without the modality field (VV-EE-II-SS-RR-AA): equal for the AV, video-only and audio-only files of one take. */
  take: string;
}

export type RavdessNameResult = { ok: true; name: RavdessName } | { ok: false; reason: string };

/** Parse a RAVDESS file name (with or without extension and directory). Song takes must use emotions 01–06. */
export function parseRavdessName(fileName: string): RavdessNameResult {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const fields = base.split('-');
  const fail = (reason: string): RavdessNameResult => ({ ok: false, reason: `'${base}': ${reason}` });
  if (fields.length !== 7) return fail(`expected 7 dash-separated two-digit fields MM-VV-EE-II-SS-RR-AA, found ${fields.length}`);
  const bad = fields.findIndex((f) => !/^\d\d$/.test(f));
  if (bad >= 0) return fail(`field ${bad + 1} '${fields[bad]}' is not two digits`);
  const [mm, vv, ee, ii, ss, rr, aa] = fields as [string, string, string, string, string, string, string];
  const modality = RAVDESS_MODALITIES[mm as keyof typeof RAVDESS_MODALITIES];
  if (!modality) return fail(`modality '${mm}' is not 01 (full-AV), 02 (video-only) or 03 (audio-only)`);
  if (vv !== '01' && vv !== '02') return fail(`vocal channel '${vv}' is not 01 (speech) or 02 (song)`);
  const emotionIndex = Number(ee) - 1;
  const emotion = RAVDESS_EMOTIONS[emotionIndex];
  if (!emotion) return fail(`emotion '${ee}' is not 01–08`);
  if (vv === '02' && emotionIndex >= 6) return fail(`emotion '${ee}' (${emotion}) does not exist for song (01–06 only)`);
  if (ii !== '01' && ii !== '02') return fail(`intensity '${ii}' is not 01 (normal) or 02 (strong)`);
  if (ee === '01' && ii === '02') return fail('neutral has no strong intensity (02)');
  if (ss !== '01' && ss !== '02') return fail(`statement '${ss}' is not 01 or 02`);
  if (rr !== '01' && rr !== '02') return fail(`repetition '${rr}' is not 01 or 02`);
  const actor = Number(aa);
  if (actor < 1 || actor > 24) return fail(`actor '${aa}' is not 01–24`);
  return {
    ok: true,
    name: {
      modality,
      vocalChannel: vv === '02' ? 'song' : 'speech',
      emotion,
      intensity: ii === '02' ? 'strong' : 'normal',
      statement: ss === '02' ? 2 : 1,
      repetition: rr === '02' ? 2 : 1,
      actor,
      take: fields.slice(1).join('-'),
    },
  };
}
