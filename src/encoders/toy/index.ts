// SonicToy's stand-in foundation models: trained by the toy pipeline, bound to the method through the
// encoder interfaces (see ../load-encoders.ts for the bundle impl names).
export { ToyClip, trainToyClip, evaluateToyClip, toyClipTextEncoder, toyClipImageEncoder, toyClipImageFeatures, TOY_CLIP_DEFAULTS, TOY_CLIP_QUICK, TOY_CLIP_KIND, type ToyClipConfig, type ToyClipTrainOptions, type ToyClipReport } from './toy-clip.js';
export { ToyClap, trainToyClap, evaluateToyClap, toyClapAudioEncoder, TOY_CLAP_DEFAULTS, TOY_CLAP_QUICK, TOY_CLAP_KIND, type ToyClapConfig, type ToyClapTrainOptions, type ToyClapReport } from './toy-clap.js';
export { ToyWav2Clip, trainToyWav2Clip, evaluateToyWav2Clip, toyWav2ClipEncoder, TOY_WAV2CLIP_DEFAULTS, TOY_WAV2CLIP_QUICK, TOY_WAV2CLIP_KIND, type ToyWav2ClipConfig, type ToyWav2ClipTrainOptions, type ToyWav2ClipReport } from './toy-wav2clip.js';
export { RetrievalCaptioner, buildRetrievalCaptioner, evaluateRetrievalCaptioner, captionBank, toyRetrievalCaptioner, RETRIEVAL_CAPTIONER_KIND, type CaptionBankEntry, type RetrievalCaptionerReport } from './retrieval-captioner.js';
export { WordTokenizer, splitWords, BOS, EOS, UNK, type WordTokenizerJson } from './word-tokenizer.js';
export { loadImages, loadClips } from './toy-media.js';
export { AUDIO_TOWER_DEFAULTS, type AudioTowerOptions } from './audio-tower.js';
export type { TrainProgress, ProgressCallback } from './contrastive.js';
export type { ToyRow } from './toy-rows.js';
