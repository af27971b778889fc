"""Writes test/fixtures/reference/onnx/frontends/: reference outputs of the preprocessing the ONNX encoders
need, computed with the original libraries (librosa, torch.stft, transformers' CLIPImageProcessor on PIL,
transformers' CLIPTokenizer), for the TypeScript ports in src/encoders/frontends/.

Run: /work/venv-ref/bin/python tools/reference/make_frontend_fixtures.py
     /work/venv-ref/bin/python tools/reference/make_frontend_fixtures.py real-vocab <bpe_simple_vocab_16e6.txt.gz>
Inputs are generated from fixed seeds and stored next to the outputs (float32 safetensors), so the tests
never run Python. The tiny BPE vocabulary (vocab.json + merges.txt) is learnt here from a small corpus
with CLIP's own layout (byte alphabet, byte+</w>, merges, the two special tokens).
"""
import json
import os
import sys
from collections import Counter

import numpy as np
from safetensors.numpy import save_file

sys.path.insert(0, os.path.dirname(__file__))
import sonic_reference_frontends as ref  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'onnx', 'frontends')


def f32(a):
    return np.ascontiguousarray(np.asarray(a, dtype=np.float32))


def audio_fixtures():
    rng = np.random.default_rng(1234)
    t = {}
    # Resampling: three rate pairs the datasets actually have (48 kHz RAVDESS, 22.05 kHz, 16 kHz).
    for orig in (48000, 22050, 16000):
        n = orig // 5  # 0.2 s
        x = (0.5 * np.sin(2 * np.pi * 440 * np.arange(n) / orig) + 0.1 * rng.standard_normal(n)).astype(np.float32)
        t[f'resample_{orig}_in'] = f32(x)
        t[f'resample_{orig}_out'] = f32(ref.resample(x.astype(np.float64), orig, 44100))
    # CLAP log-mel on 1 s at 44.1 kHz (the 10 s path is the same code on more frames).
    n = 44100
    x = (0.3 * np.sin(2 * np.pi * 1000 * np.arange(n) / 44100) + 0.05 * rng.standard_normal(n)).astype(np.float32)
    x[:2000] = 0.0  # a silent stretch exercises the amin floor
    t['logmel_in'] = f32(x)
    t['logmel_out'] = f32(ref.clap_logmel(x.astype(np.float64)))
    # Wav2CLIP front on 0.5 s.
    n = 22050
    x = (0.2 * np.sin(2 * np.pi * 300 * np.arange(n) / 44100) + 0.05 * rng.standard_normal(n)).astype(np.float32)
    t['w2c_in'] = f32(x)
    t['w2c_out'] = f32(ref.wav2clip_features(x.astype(np.float64)))
    save_file(t, os.path.join(OUT, 'audio.safetensors'))


def image_fixtures():
    from transformers import CLIPImageProcessor
    rng = np.random.default_rng(99)
    t = {}
    cases = []
    # Small target sizes keep the fixture small; the resampling code path is the same as at 224.
    for i, (h, w, size) in enumerate([(37, 50, 32), (13, 20, 32), (45, 45, 32), (64, 41, 24), (30, 200, 16)]):
        img = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        # Smooth structure plus noise, so the filter's ringing and clipping both occur.
        yy, xx = np.mgrid[0:h, 0:w]
        img[..., 0] = np.clip(img[..., 0] // 4 + 190 * ((xx // 5 + yy // 7) % 2), 0, 255)
        proc = CLIPImageProcessor(size={'shortest_edge': size}, crop_size={'height': size, 'width': size})
        out = proc(images=[img], return_tensors='np')['pixel_values'][0]
        t[f'image{i}_in'] = f32(img)
        t[f'image{i}_out'] = f32(out)
        cases.append({'name': f'image{i}', 'height': h, 'width': w, 'size': size})
    save_file(t, os.path.join(OUT, 'image.safetensors'))
    return cases


def bytes_to_unicode():
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


CORPUS = """a dog barking in the rain . thunder rolls over the hills while the rain keeps falling .
fire crackling near a waterfall ; wind noise , splashing water and underwater bubbling .
a stick hitting metal , wood , glass , plastic and leaves . the singer is happy , the singer is sad .
explosion ! raining and raining and raining . squishing water in the mud . 2024 was the year of sound .
""" * 3


def tiny_bpe():
    import regex
    b2u = bytes_to_unicode()
    pat = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", regex.IGNORECASE)
    words = Counter()
    for tok in pat.findall(CORPUS.lower()):
        chars = [b2u[b] for b in tok.encode('utf-8')]
        chars[-1] += '</w>'
        words[tuple(chars)] += 1
    merges = []
    for _ in range(80):
        pairs = Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        new = Counter()
        for w, c in words.items():
            out = []
            i = 0
            while i < len(w):
                if i < len(w) - 1 and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new[tuple(out)] += c
        words = new
    vocab_list = list(b2u.values())
    vocab_list += [v + '</w>' for v in vocab_list]
    vocab_list += [a + b for a, b in merges]
    vocab_list += ['<|startoftext|>', '<|endoftext|>']
    vocab = {v: i for i, v in enumerate(vocab_list)}
    d = os.path.join(OUT, 'tiny-bpe')
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'vocab.json'), 'w', encoding='utf-8') as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(d, 'merges.txt'), 'w', encoding='utf-8') as f:
        f.write('#version: 0.2\n')
        for a, b in merges:
            f.write(f'{a} {b}\n')
    return d


SENTENCES = [
    'a dog barking in the rain',
    'Thunder   rolls over the HILLS!',
    'fire crackling',
    "the singer's voice isn't sad; it's happy",
    'underwater bubbling, 2024 sounds & more',
    '  leading and trailing spaces  ',
    'café naïve – unicode dash',
    'zzz qqq xyzzy unknownwords',
    '',
    'rain ' * 90,
]


def tokenizer_fixtures():
    from transformers import CLIPTokenizer
    d = tiny_bpe()
    tok = CLIPTokenizer(vocab=os.path.join(d, 'vocab.json'), merges=os.path.join(d, 'merges.txt'))
    cases = []
    for s in SENTENCES:
        ids = tok(s, padding='max_length', max_length=77, truncation=True)['input_ids']
        cases.append({'text': s, 'ids': ids})
    with open(os.path.join(OUT, 'tokenizer.json'), 'w', encoding='utf-8') as f:
        json.dump({'vocab': 'tiny-bpe', 'bos': tok.bos_token_id, 'eos': tok.eos_token_id, 'cases': cases}, f,
                  ensure_ascii=False, indent=1)


REAL_SENTENCES = SENTENCES + [
    'fire crackling', 'wind noise', 'underwater bubbling', 'splashing water', 'waterfall burbling', 'squishing water',
    'a photo of a waterfall in the mountains, 4k, highly detailed',
    'A red Ceramic mug being hit with a wooden stick.',
    'Kids are talking by the door', "Dogs are sitting by the door, aren't they?",
    'naïve café façade — résumé', '東京の夜景', 'emoji 🔥🌊 test', 'hyphen-ated words & numbers 12345 3.14',
    'x' * 300,
]


def real_vocab_fixtures(gz_path):
    """Expected ids under the real CLIP vocabulary (bpe_simple_vocab_16e6.txt.gz from the open_clip_torch wheel;
    not committed: 1.36 MB). transformers' CLIPTokenizer is built from the same merges, as HF's vocab.json is."""
    import gzip
    import hashlib
    from transformers import CLIPTokenizer
    b2u = bytes_to_unicode()
    merges = gzip.open(gz_path).read().decode('utf-8').split('\n')[1:49152 - 256 - 2 + 1]
    merges = [tuple(m.split()) for m in merges]
    vocab = list(b2u.values())
    vocab = vocab + [v + '</w>' for v in vocab] + [''.join(m) for m in merges] + ['<|startoftext|>', '<|endoftext|>']
    tok = CLIPTokenizer(vocab={v: i for i, v in enumerate(vocab)}, merges=merges)
    cases = [{'text': s, 'ids': tok(s, padding='max_length', max_length=77, truncation=True)['input_ids']} for s in REAL_SENTENCES]
    sha = hashlib.sha256(open(gz_path, 'rb').read()).hexdigest()
    with open(os.path.join(OUT, 'tokenizer-real.json'), 'w', encoding='utf-8') as f:
        json.dump({'vocab': 'bpe_simple_vocab_16e6.txt.gz', 'sha256': sha, 'bos': tok.bos_token_id, 'eos': tok.eos_token_id,
                   'cases': cases}, f, ensure_ascii=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    if len(sys.argv) == 3 and sys.argv[1] == 'real-vocab':
        real_vocab_fixtures(sys.argv[2])
        print('wrote', os.path.join(OUT, 'tokenizer-real.json'))
        return
    audio_fixtures()
    cases = image_fixtures()
    tokenizer_fixtures()
    with open(os.path.join(OUT, 'image-cases.json'), 'w') as f:
        json.dump(cases, f, indent=1)
    print('wrote', OUT)


if __name__ == '__main__':
    main()
