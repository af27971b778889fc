"""Reference implementations of the audio front ends the ONNX encoders expect.

These mirror, in numpy/torch, exactly what the original pipelines compute, so the TypeScript ports in
src/encoders/frontends/ can be checked against them:
  - torchaudio.functional.resample (sinc_interp_hann, lowpass_filter_width 6, rolloff 0.99)
  - torchlibrosa Spectrogram + LogmelFilterBank as used by MS-CLAP's Cnn14 (librosa mel, slaney)
  - torchaudio Spectrogram(n_fft=512, hop_length=353) + log + standardisation, as in Wav2CLIP's ResNet
Used by make_frontend_fixtures.py and export_onnx_models.py.
"""
import math

import librosa
import numpy as np
import torch
import torch.nn.functional as F

CLAP_SAMPLE_RATE = 44100
CLAP_SAMPLES = 10 * CLAP_SAMPLE_RATE
CLAP_N_FFT = 1024
CLAP_HOP = 320
CLAP_MELS = 64
CLAP_FMIN = 50
CLAP_FMAX = 14000
W2C_SAMPLES = 442763
W2C_N_FFT = 512
W2C_HOP = 353


def resample(waveform: np.ndarray, orig: int, new: int, lowpass_filter_width: int = 6, rolloff: float = 0.99) -> np.ndarray:
    """torchaudio.functional.resample with the default sinc_interp_hann method, in float64."""
    if orig == new:
        return waveform.astype(np.float64)
    g = math.gcd(orig, new)
    orig //= g
    new //= g
    base_freq = min(orig, new) * rolloff
    width = math.ceil(lowpass_filter_width * orig / base_freq)
    idx = torch.arange(-width, width + orig, dtype=torch.float64)[None, None] / orig
    t = torch.arange(0, -new, -1, dtype=torch.float64)[:, None, None] / new + idx
    t = t * base_freq
    t = t.clamp(-lowpass_filter_width, lowpass_filter_width)
    window = torch.cos(t * math.pi / lowpass_filter_width / 2) ** 2
    t = t * math.pi
    scale = base_freq / orig
    kernels = torch.where(t == 0, torch.tensor(1.0, dtype=torch.float64), t.sin() / t)
    kernels = kernels * window * scale
    x = torch.from_numpy(waveform.astype(np.float64))[None]
    length = x.shape[-1]
    x = F.pad(x, (width, width + orig))
    y = F.conv1d(x[:, None], kernels, stride=orig)
    y = y.transpose(1, 2).reshape(1, -1)
    target = math.ceil(new * length / orig)
    return y[0, :target].numpy()


def tile_or_crop(waveform: np.ndarray, target: int, crop_start: int | None) -> np.ndarray:
    """MS-CLAP's load_audio_into_tensor length rule: tile short clips, crop long ones at crop_start."""
    n = len(waveform)
    if n < target:
        reps = math.ceil(target / n)
        return np.tile(waveform, reps)[:target]
    if n > target:
        assert crop_start is not None
        return waveform[crop_start:crop_start + target]
    return waveform


def clap_logmel(waveform: np.ndarray) -> np.ndarray:
    """torchlibrosa Spectrogram(power 2, hann, center, reflect) + LogmelFilterBank(ref 1, amin 1e-10, top_db None)."""
    spec = np.abs(librosa.stft(waveform.astype(np.float64), n_fft=CLAP_N_FFT, hop_length=CLAP_HOP, win_length=CLAP_N_FFT,
                               window='hann', center=True, pad_mode='reflect')) ** 2  # [freq, frames]
    mel_w = librosa.filters.mel(sr=CLAP_SAMPLE_RATE, n_fft=CLAP_N_FFT, n_mels=CLAP_MELS, fmin=CLAP_FMIN, fmax=CLAP_FMAX,
                                htk=False, norm='slaney', dtype=np.float64)  # [mels, freq]
    mel = (mel_w @ spec).T  # [frames, mels]
    return 10.0 * np.log10(np.maximum(mel, 1e-10)) - 10.0 * np.log10(max(1e-10, 1.0))


def wav2clip_features(waveform: np.ndarray) -> np.ndarray:
    """Wav2CLIP ResNet's front: |STFT|^2 (n_fft 512, hop 353, hann), log(x + 1e-7), standardise (unbiased std)."""
    x = torch.from_numpy(waveform.astype(np.float64))
    spec = torch.stft(x, n_fft=W2C_N_FFT, hop_length=W2C_HOP, win_length=W2C_N_FFT,
                      window=torch.hann_window(W2C_N_FFT, dtype=torch.float64), center=True, pad_mode='reflect',
                      normalized=False, onesided=True, return_complex=True).abs() ** 2  # [257, frames]
    x = torch.log(spec + 1e-7)
    x = (x - x.mean()) / (x.std() + 1e-9)
    return x.numpy()


def pad_right(waveform: np.ndarray, target: int) -> np.ndarray:
    if len(waveform) >= target:
        return waveform  # evaluation.py only pads; longer clips are embedded whole
    return np.concatenate([waveform, np.zeros(target - len(waveform), dtype=waveform.dtype)])
