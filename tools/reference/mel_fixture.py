"""Reference log-mel values for test/data/mel.test.ts.

STFT from torch.stft (periodic Hann, center=True, reflect padding), mel filterbanks from
transformers.audio_utils.mel_filter_bank (librosa-compatible). Writes test/data/fixtures/mel-reference.json.
Run: /work/venv-ref/bin/python tools/reference/mel_fixture.py
"""
import json
import math
from pathlib import Path

import numpy as np
import torch
from transformers.audio_utils import mel_filter_bank

SR, N_FFT, HOP, N_MELS, F_MIN, F_MAX = 16000, 512, 160, 24, 50.0, 7000.0

n = 2000
t = np.arange(n) / SR
signal = (0.5 * np.sin(2 * math.pi * 440 * t) + 0.25 * np.sin(2 * math.pi * 3100 * t + 0.3)
          + 0.1 * np.sin(2 * math.pi * (200 + 1500 * t) * t)).astype(np.float32)

spec = torch.stft(torch.from_numpy(signal).double(), n_fft=N_FFT, hop_length=HOP, window=torch.hann_window(N_FFT, dtype=torch.float64),
                  center=True, pad_mode="reflect", return_complex=True)
power = (spec.abs() ** 2).numpy()  # [bins, frames]

out = {"sampleRate": SR, "nFft": N_FFT, "hop": HOP, "nMels": N_MELS, "fMin": F_MIN, "fMax": F_MAX,
       "signal": [float(v) for v in signal]}
for name, scale, norm in [("slaney_slaney", "slaney", "slaney"), ("htk_none", "htk", None)]:
    fb = mel_filter_bank(N_FFT // 2 + 1, N_MELS, F_MIN, F_MAX, SR, norm=norm, mel_scale=scale)  # [bins, mels]
    mel = fb.T @ power  # [mels, frames]
    db = 10 * np.log10(np.maximum(mel, 1e-10))
    out[name] = {"filterbank": [[float(f"{v:.7g}") for v in row] for row in fb.T],
                 "logMelDb": [[float(f"{v:.7g}") for v in frame] for frame in db.T]}

path = Path(__file__).resolve().parents[2] / "test/data/fixtures/mel-reference.json"
path.write_text(json.dumps(out))
print(f"wrote {path} ({path.stat().st_size} bytes), frames={power.shape[1]}")
