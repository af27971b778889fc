// The roles the paper's frozen foundation models play, as small interfaces. The paper binds them to
// pretrained checkpoints through ONNX Runtime (encoders/onnx/); SonicToy binds them to stand-ins that its
// pipeline trains (encoders/toy/). Stages only see these interfaces.

/** Mono audio at a known sample rate. */
export interface AudioClip {
  samples: Float32Array;
  sampleRate: number;
}

/** RGB image, HWC, values in [0, 1]. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float32Array; // length width·height·3
}

/** CLAP's role: one embedding per clip (the projector's input). */
export interface AudioEncoder {
  readonly name: string;
  readonly dim: number;
  embedAudio(clips: AudioClip[]): Promise<Float32Array[]>;
}

/** The diffusion model's text encoder (CLIP ViT-L/14 in SD 1.4): per-token states are the conditioning. */
export interface TextEncoder {
  readonly name: string;
  readonly maxTokens: number; // 77 for CLIP
  readonly width: number; // 768 for CLIP ViT-L/14
  /** [maxTokens·width] per text, row-major (token-major). */
  encodeTokens(texts: string[]): Promise<Float32Array[]>;
  /** Pooled, projected text embedding in the joint image–text space (for zero-shot AIC). */
  embedText(texts: string[]): Promise<Float32Array[]>;
}

/** CLIP image tower: joint-space image embeddings (IIS, AIC, FID features in SonicToy). */
export interface ImageEncoder {
  readonly name: string;
  readonly dim: number;
  embedImages(images: RgbImage[]): Promise<Float32Array[]>;
}

/** Wav2CLIP's role: audio into an image encoder's space (AIS). */
export interface AudioToImageSpaceEncoder {
  readonly name: string;
  readonly dim: number;
  embedAudio(clips: AudioClip[]): Promise<Float32Array[]>;
}

/** BLIP-2's role: a caption per image. */
export interface Captioner {
  readonly name: string;
  caption(images: RgbImage[]): Promise<string[]>;
}

/** Inception-v3 pool features' role: the feature space FID is computed in. */
export interface FeatureExtractor {
  readonly name: string; // reported with every FID so tables name the feature space honestly
  readonly dim: number;
  features(images: RgbImage[]): Promise<Float32Array[]>;
}
