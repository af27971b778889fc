export { decodeWav, encodeWav, readWav, writeWav, WavError, type WavAudio, type WavEncoding, type WavEncodeOptions } from './wav.js';
export { decodePng, encodePng, readPng, writePng, PngError } from './png.js';
export { toFloatImage, toUint8Image, type RgbImage } from './image.js';
export { resample, ResampleError, type ResampleOptions } from './resample.js';
export { hannWindow, hzToMel, logMelSpectrogram, melFilterbank, melToHz, powerSpectrogram, MelError, type MelScale, type MelFilterbankOptions, type MelSpectrogramOptions, type MelSpectrogram } from './mel.js';
export { Fft } from './fft.js';
export { contactSheet, type ContactSheetOptions } from './contact-sheet.js';
export { labelledSheetSvg, fitText, wrapText, type LabelledRow, type LabelledSheet } from './labelled-sheet.js';
export { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
