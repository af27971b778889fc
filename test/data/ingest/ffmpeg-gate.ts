// ffmpeg-backed tests skip with a clear message when ffmpeg is absent, unless SONIC_REQUIRE_FFMPEG=1:
// then they run and fail with the missing-ffmpeg error.
import { ffmpegAvailable, FFMPEG_INSTALL_HINT } from '../../../src/data/media/ffmpeg.js';

export async function ffmpegSkipReason(): Promise<string | undefined> {
  if (await ffmpegAvailable()) return undefined;
  if (process.env.SONIC_REQUIRE_FFMPEG === '1') return undefined;
  return `ffmpeg/ffprobe not found: install ffmpeg (${FFMPEG_INSTALL_HINT}) or set SONIC_FFMPEG; SONIC_REQUIRE_FFMPEG=1 turns this skip into a failure`;
}

/** Zero-crossing estimate of a pure tone's frequency. */
export function toneHz(samples: Float32Array, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
  return crossings / 2 / (samples.length / sampleRate);
}
