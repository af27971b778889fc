"""ONNX exports of the paper's frozen encoders, and their tiny random-weight twins for the tests.

Two halves per model:
  (a) export_real_<model>(...): exports the REAL checkpoint to the ONNX signature that
      src/encoders/onnx/ expects (see SIGNATURES below and src/encoders/onnx/signatures.ts).
      Documented, not run in CI: the checkpoints are multi-GB and cannot be downloaded here.
      Usage: python tools/reference/export_onnx_models.py real <model> <checkpoint> <out_dir>
  (b) the same architecture class (or, for Inception and the captioner, the same graph signature) with
      tiny random weights, exported to test/fixtures/reference/onnx/<model>/ together with reference outputs
      of the whole pipeline (front end + network) on fixed inputs.
      Usage: /work/venv-ref/bin/python tools/reference/export_onnx_models.py fixtures

Requirements: torch, onnx, librosa, transformers, diffusers, safetensors (tools/reference/requirements.txt).
All exports use the TorchScript exporter (dynamo=False), opset 17, a dynamic batch axis.
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.numpy import save_file

sys.path.insert(0, os.path.dirname(__file__))
import sonic_reference_frontends as ref  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FIXTURES = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'onnx')
TINY_BPE = os.path.join(FIXTURES, 'frontends', 'tiny-bpe')
OPSET = 17

# Input/output names and ranks per impl (mirrors src/encoders/onnx/signatures.ts).
SIGNATURES = {
    'onnx-ms-clap-2022': {'clap_audio.onnx': (['log_mel [B,1,T,64]'], ['audio_embeds [B,D]'])},
    'onnx-clip-text': {'text_model.onnx': (['input_ids int64 [B,77]'], ['last_hidden_state [B,77,W]', 'text_embeds [B,P]'])},
    'onnx-clip-image': {'vision_model.onnx': (['pixel_values [B,3,S,S]'], ['image_embeds [B,P]'])},
    'onnx-wav2clip': {'wav2clip.onnx': (['spectrogram [B,1,257,T]'], ['audio_embeds [B,D]'])},
    'onnx-inception-v3': {'inception_pool3.onnx': (['images [B,3,299,299] in [0,1]'], ['pool3 [B,2048]'])},
    'onnx-captioner': {'encoder.onnx': (['pixel_values [B,3,S,S]'], ['last_hidden_state [B,N,E]']),
                       'decoder.onnx': (['input_ids int64 [B,L]', 'encoder_hidden_states [B,N,E]'], ['logits [B,L,V]'])},
    'onnx-sd-vae': {'vae_encoder.onnx': (['sample [B,3,H,W] in [-1,1]'], ['latent_mean [B,4,H/8,W/8]']),
                    'vae_decoder.onnx': (['latent_sample [B,4,h,w]'], ['sample [B,3,8h,8w]'])},
}


def export(module, args, path, input_names, output_names, dynamic_axes):
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, dynamo=False, do_constant_folding=True)


def randomize_batchnorm(module, gen):
    for m in module.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(m.weight.shape, generator=gen) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)


def f32(x):
    if isinstance(x, torch.Tensor):
        x = x.detach().numpy()
    return np.ascontiguousarray(np.asarray(x, dtype=np.float32))


# ------------------------------------------------------------------------------------------------
# MS-CLAP 2022 audio tower: Cnn14 (PANNs) from bn0 on + CLAP's Projection. Parameter names match
# msclap's `audio_encoder.base.*` / `audio_encoder.projection.*` so the real state dict loads as is.

class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.bn2 = nn.BatchNorm2d(cout)

    def forward(self, x, pool):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return F.avg_pool2d(x, kernel_size=pool)


class Cnn14FromLogMel(nn.Module):
    """msclap Cnn14 after its torchlibrosa front end: input [B,1,T,mel] log-mel → fc1 embedding."""

    def __init__(self, widths=(64, 128, 256, 512, 1024, 2048), out_emb=2048, mel_bins=64):
        super().__init__()
        self.bn0 = nn.BatchNorm2d(mel_bins)
        chans = (1,) + tuple(widths)
        for i in range(6):
            setattr(self, f'conv_block{i + 1}', ConvBlock(chans[i], chans[i + 1]))
        self.fc1 = nn.Linear(widths[-1], out_emb)

    def forward(self, x):
        x = self.bn0(x.transpose(1, 3)).transpose(1, 3)
        for i in range(6):
            x = getattr(self, f'conv_block{i + 1}')(x, (2, 2) if i < 5 else (1, 1))
        x = torch.mean(x, dim=3)
        x = torch.max(x, dim=2)[0] + torch.mean(x, dim=2)
        return F.relu(self.fc1(x))


class Projection(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.linear1 = nn.Linear(d_in, d_out, bias=False)
        self.linear2 = nn.Linear(d_out, d_out, bias=False)
        self.layer_norm = nn.LayerNorm(d_out)

    def forward(self, x):
        e1 = self.linear1(x)
        return self.layer_norm(e1 + self.linear2(F.gelu(e1)))


class ClapAudioTower(nn.Module):
    def __init__(self, widths=(64, 128, 256, 512, 1024, 2048), out_emb=2048, d_proj=1024):
        super().__init__()
        self.base = Cnn14FromLogMel(widths, out_emb)
        self.projection = Projection(out_emb, d_proj)

    def forward(self, log_mel):
        return self.projection(self.base(log_mel))  # L2 normalisation happens in TS


def export_clap(model, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    export(model, (torch.zeros(1, 1, 1379, 64),), os.path.join(out_dir, 'clap_audio.onnx'), ['log_mel'], ['audio_embeds'],
           {'log_mel': {0: 'B', 2: 'T'}, 'audio_embeds': {0: 'B'}})


def export_real_clap(checkpoint, out_dir):
    """CLAP_weights_2022.pth (msclap / SonicDiffusion's CLAP copy) → clap_audio.onnx."""
    sd = torch.load(checkpoint, map_location='cpu', weights_only=False)
    sd = sd.get('model', sd)
    model = ClapAudioTower()
    mine = {}
    for k, v in sd.items():
        for prefix in ('audio_encoder.', 'clap.audio_encoder.'):
            if k.startswith(prefix):
                mine[k[len(prefix):]] = v
    missing = [k for k in model.state_dict() if k not in mine]
    if missing:
        raise SystemExit(f'{checkpoint}: missing audio-encoder tensors: {missing[:8]}')
    model.load_state_dict({k: mine[k] for k in model.state_dict()})
    export_clap(model, out_dir)


# ------------------------------------------------------------------------------------------------
# CLIP towers through transformers.

def clip_tower_config(folder, tower):
    """The tower's config from a full CLIPModel folder, with the model-level projection_dim (the tower
    configs do not always repeat it, and a wrong one would silently re-initialise the projection)."""
    from transformers import CLIPConfig
    full = CLIPConfig.from_pretrained(folder)
    cfg = full.text_config if tower == 'text' else full.vision_config
    cfg.projection_dim = full.projection_dim
    return cfg


def clip_text_wrapper(model):
    class W(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, input_ids):
            out = self.m(input_ids=input_ids, return_dict=True)
            return out.last_hidden_state, out.text_embeds
    return W()


def export_clip_text(model, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    export(clip_text_wrapper(model), (torch.zeros(1, 77, dtype=torch.long),), os.path.join(out_dir, 'text_model.onnx'),
           ['input_ids'], ['last_hidden_state', 'text_embeds'],
           {'input_ids': {0: 'B'}, 'last_hidden_state': {0: 'B'}, 'text_embeds': {0: 'B'}})


def export_real_clip_text(folder, out_dir):
    """openai/clip-vit-large-patch14 (a local HF folder) → text_model.onnx + vocab.json + merges.txt.
    CLIPTextModelWithProjection's last_hidden_state is SD 1.4's conditioning; text_embeds is the pooled,
    projected embedding used for AIC's zero-shot classification."""
    from transformers import CLIPTextModelWithProjection
    model = CLIPTextModelWithProjection.from_pretrained(folder, config=clip_tower_config(folder, 'text'), attn_implementation='eager')
    export_clip_text(model, out_dir)
    for f in ('vocab.json', 'merges.txt'):
        shutil.copy(os.path.join(folder, f), os.path.join(out_dir, f))


def clip_image_wrapper(model):
    class W(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, pixel_values):
            return self.m(pixel_values=pixel_values, return_dict=True).image_embeds
    return W()


def export_clip_image(model, size, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    export(clip_image_wrapper(model), (torch.zeros(1, 3, size, size),), os.path.join(out_dir, 'vision_model.onnx'),
           ['pixel_values'], ['image_embeds'], {'pixel_values': {0: 'B'}, 'image_embeds': {0: 'B'}})


def export_real_clip_image(folder, out_dir):
    """openai/clip-vit-large-patch14 or openai/clip-vit-base-patch32 (local HF folder) → vision_model.onnx."""
    from transformers import CLIPVisionModelWithProjection
    model = CLIPVisionModelWithProjection.from_pretrained(folder, config=clip_tower_config(folder, 'vision'), attn_implementation='eager')
    export_clip_image(model, model.config.image_size, out_dir)


# ------------------------------------------------------------------------------------------------
# Wav2CLIP: ResNet18 on the standardised log spectrogram + the MLP "transform". Names match the
# checkpoint's `audio_encoder.*` / `audio_transform.*` (ResNet_CX.ckpt's state_dict).

class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + idt)


class Wav2ClipTower(nn.Module):
    def __init__(self, widths=(64, 128, 256, 512), blocks=(2, 2, 2, 2), mlp=(512, 512, 512)):
        super().__init__()
        self.conv1 = nn.Conv2d(1, widths[0], 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        cin = widths[0]
        for i, (w, n) in enumerate(zip(widths, blocks)):
            layer = []
            for j in range(n):
                layer.append(BasicBlock(cin, w, 2 if (i > 0 and j == 0) else 1))
                cin = w
            setattr(self, f'layer{i + 1}', nn.Sequential(*layer))
        self.transform = nn.Sequential(nn.Linear(mlp[0], mlp[1]), nn.ReLU(), nn.Dropout(0.1), nn.Linear(mlp[1], mlp[2]))

    def forward(self, spectrogram):
        x = F.relu(self.bn1(self.conv1(spectrogram)))
        x = F.max_pool2d(x, 3, 2, 1)
        for i in range(4):
            x = getattr(self, f'layer{i + 1}')(x)
        x = torch.mean(x, dim=(2, 3))
        return self.transform(x)


def export_wav2clip(model, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    export(model, (torch.zeros(1, 1, 257, 1255),), os.path.join(out_dir, 'wav2clip.onnx'), ['spectrogram'], ['audio_embeds'],
           {'spectrogram': {0: 'B', 3: 'T'}, 'audio_embeds': {0: 'B'}})


def export_real_wav2clip(checkpoint, out_dir):
    """ResNet_CX.ckpt (wav2clip.get_model()'s download) → wav2clip.onnx."""
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=False)
    sd = ckpt['state_dict']
    model = Wav2ClipTower()
    mine = {}
    for k, v in sd.items():
        if k.startswith('audio_encoder.'):
            mine[k[len('audio_encoder.'):]] = v
        elif k.startswith('audio_transform.'):
            mine['transform.' + k[len('audio_transform.sequential.'):]] = v
    missing = [k for k in model.state_dict() if k not in mine]
    if missing:
        raise SystemExit(f'{checkpoint}: missing Wav2CLIP tensors: {missing[:8]}')
    model.load_state_dict({k: mine[k] for k in model.state_dict()})
    export_wav2clip(model, out_dir)


# ------------------------------------------------------------------------------------------------
# Inception-v3 pool3 (FID). Real: pytorch-fid's FID Inception (pt_inception-2015-12-05 weights), with its
# own input normalisation (2x − 1) inside the graph; the 299×299 bilinear resize runs in TS.

def export_inception(model, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    export(model, (torch.zeros(1, 3, 299, 299),), os.path.join(out_dir, 'inception_pool3.onnx'), ['images'], ['pool3'],
           {'images': {0: 'B'}, 'pool3': {0: 'B'}})


def export_real_inception(weights_path, out_dir):
    """pt_inception-2015-12-05-6726825d.pth (pytorch-fid) → inception_pool3.onnx. Needs `pip install pytorch-fid`
    (which brings torchvision). pytorch-fid loads the weights by URL name from torch hub's checkpoint dir, so the
    given file is copied there first."""
    from pytorch_fid.inception import InceptionV3
    hub = os.path.join(torch.hub.get_dir(), 'checkpoints')
    os.makedirs(hub, exist_ok=True)
    if not os.path.exists(os.path.join(hub, os.path.basename(weights_path))):
        shutil.copy(weights_path, os.path.join(hub, os.path.basename(weights_path)))

    class W(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = InceptionV3([InceptionV3.BLOCK_INDEX_BY_DIM[2048]], resize_input=False, normalize_input=True)

        def forward(self, images):
            return self.m(images)[0].flatten(1)
    export_inception(W(), out_dir)


class InceptionSignatureStandin(nn.Module):
    """Same signature as the FID Inception pool3 graph ([B,3,299,299] in [0,1] → [B,2048]); tiny random convs."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 6, 5, 4, 2)
        self.c2 = nn.Conv2d(6, 12, 3, 4, 1)
        self.head = nn.Conv2d(12, 2048, 1)

    def forward(self, images):
        x = 2 * images - 1
        x = F.relu(self.c2(F.relu(self.c1(x))))
        x = F.adaptive_avg_pool2d(x, 1)
        return F.relu(self.head(x)).flatten(1)


# ------------------------------------------------------------------------------------------------
# Captioner: an image encoder + autoregressive text decoder pair, run greedily from TS.
#   encoder.onnx: pixel_values → last_hidden_state; decoder.onnx: (input_ids, encoder_hidden_states) → logits.
# Real (documented): nlpconnect/vit-gpt2-image-captioning (VisionEncoderDecoderModel), or BLIP-2 with the
# wrapper below (Q-Former outputs projected into OPT's embedding space as a prefix).

def captioner_wrappers(ved):
    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = ved.encoder

        def forward(self, pixel_values):
            return self.m(pixel_values=pixel_values, return_dict=True).last_hidden_state

    class Dec(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = ved.decoder

        def forward(self, input_ids, encoder_hidden_states):
            # An explicit all-ones mask keeps transformers off its packed-sequence detection (aten::diff, not exportable).
            mask = torch.ones_like(input_ids)
            return self.m(input_ids=input_ids, attention_mask=mask, encoder_hidden_states=encoder_hidden_states, use_cache=False,
                          return_dict=True).logits
    return Enc(), Dec()


def export_captioner(ved, size, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    enc, dec = captioner_wrappers(ved)
    export(enc, (torch.zeros(1, 3, size, size),), os.path.join(out_dir, 'encoder.onnx'), ['pixel_values'], ['last_hidden_state'],
           {'pixel_values': {0: 'B'}, 'last_hidden_state': {0: 'B'}})
    with torch.no_grad():
        h = enc(torch.zeros(1, 3, size, size))
    export(dec, (torch.zeros(1, 3, dtype=torch.long), h), os.path.join(out_dir, 'decoder.onnx'),
           ['input_ids', 'encoder_hidden_states'], ['logits'],
           {'input_ids': {0: 'B', 1: 'L'}, 'encoder_hidden_states': {0: 'B'}, 'logits': {0: 'B', 1: 'L'}})


def export_real_vit_gpt2(folder, out_dir):
    """nlpconnect/vit-gpt2-image-captioning (local HF folder) → encoder.onnx, decoder.onnx, vocab.json, merges.txt,
    captioner.json. Greedy decoding (num_beams 1), max 16 tokens, ViTImageProcessor: 224×224 bilinear squash, mean/std 0.5."""
    from transformers import VisionEncoderDecoderModel
    ved = VisionEncoderDecoderModel.from_pretrained(folder, attn_implementation='eager').eval()
    export_captioner(ved, 224, out_dir)
    for f in ('vocab.json', 'merges.txt'):
        shutil.copy(os.path.join(folder, f), os.path.join(out_dir, f))
    start = ved.config.decoder_start_token_id
    start = ved.config.decoder.bos_token_id if start is None else start
    eos = ved.config.eos_token_id if ved.config.eos_token_id is not None else ved.config.decoder.eos_token_id
    cfg = {'decoderStartTokenId': start, 'eosTokenId': eos,
           'maxLength': 16, 'image': {'size': 224, 'resample': 'bilinear', 'mean': [0.5] * 3, 'std': [0.5] * 3}}
    with open(os.path.join(out_dir, 'captioner.json'), 'w') as f:
        json.dump(cfg, f, indent=1)


def export_real_blip2(folder, out_dir):
    """Salesforce/blip2-opt-2.7b (local HF folder) → the same encoder/decoder pair. The encoder runs the vision
    tower + Q-Former + language projection ([B,32,2560] prefix); the decoder prepends that prefix to the token
    embeddings and returns the logits of the token positions. ~15 GB fp32: export on a large-memory machine."""
    from transformers import Blip2ForConditionalGeneration
    m = Blip2ForConditionalGeneration.from_pretrained(folder, torch_dtype=torch.float32).eval()

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = m

        def forward(self, pixel_values):
            v = self.m.vision_model(pixel_values=pixel_values).last_hidden_state
            q = self.m.query_tokens.expand(v.shape[0], -1, -1)
            q = self.m.qformer(query_embeds=q, encoder_hidden_states=v).last_hidden_state
            return self.m.language_projection(q)

    class Dec(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = m

        def forward(self, input_ids, encoder_hidden_states):
            emb = self.m.language_model.get_input_embeddings()(input_ids)
            x = torch.cat([encoder_hidden_states, emb], dim=1)
            logits = self.m.language_model(inputs_embeds=x, use_cache=False).logits
            return logits[:, encoder_hidden_states.shape[1]:]

    os.makedirs(out_dir, exist_ok=True)
    export(Enc(), (torch.zeros(1, 3, 224, 224),), os.path.join(out_dir, 'encoder.onnx'), ['pixel_values'], ['last_hidden_state'],
           {'pixel_values': {0: 'B'}, 'last_hidden_state': {0: 'B'}})
    export(Dec(), (torch.zeros(1, 2, dtype=torch.long), torch.zeros(1, 32, m.config.text_config.hidden_size)),
           os.path.join(out_dir, 'decoder.onnx'), ['input_ids', 'encoder_hidden_states'], ['logits'],
           {'input_ids': {0: 'B', 1: 'L'}, 'encoder_hidden_states': {0: 'B'}, 'logits': {0: 'B', 1: 'L'}})
    for f in ('vocab.json', 'merges.txt'):
        shutil.copy(os.path.join(folder, f), os.path.join(out_dir, f))
    cfg = {'decoderStartTokenId': m.config.text_config.bos_token_id, 'eosTokenId': m.config.text_config.eos_token_id,
           'maxLength': 30, 'image': {'size': 224, 'resample': 'bicubic',
                                      'mean': [0.48145466, 0.4578275, 0.40821073], 'std': [0.26862954, 0.26130258, 0.27577711]}}
    with open(os.path.join(out_dir, 'captioner.json'), 'w') as f:
        json.dump(cfg, f, indent=1)


# ------------------------------------------------------------------------------------------------
# SD 1.4 VAE (diffusers AutoencoderKL): encoder → posterior mean (unscaled); decoder from unscaled latents.

def vae_wrappers(vae):
    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.v = vae

        def forward(self, sample):
            moments = self.v.quant_conv(self.v.encoder(sample))
            return moments[:, : self.v.config.latent_channels]

    class Dec(nn.Module):
        def __init__(self):
            super().__init__()
            self.v = vae

        def forward(self, latent_sample):
            return self.v.decode(latent_sample, return_dict=True).sample
    return Enc(), Dec()


def export_vae(vae, size, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    enc, dec = vae_wrappers(vae)
    export(enc, (torch.zeros(1, 3, size, size),), os.path.join(out_dir, 'vae_encoder.onnx'), ['sample'], ['latent_mean'],
           {'sample': {0: 'B', 2: 'H', 3: 'W'}, 'latent_mean': {0: 'B', 2: 'h', 3: 'w'}})
    export(dec, (torch.zeros(1, 4, size // 8, size // 8),), os.path.join(out_dir, 'vae_decoder.onnx'), ['latent_sample'], ['sample'],
           {'latent_sample': {0: 'B', 2: 'h', 3: 'w'}, 'sample': {0: 'B', 2: 'H', 3: 'W'}})


def export_real_vae(folder, out_dir):
    """CompVis/stable-diffusion-v1-4 `vae/` subfolder (diffusers) → vae_encoder.onnx + vae_decoder.onnx (512×512 trace)."""
    from diffusers import AutoencoderKL
    export_vae(AutoencoderKL.from_pretrained(folder).eval(), 512, out_dir)


# ------------------------------------------------------------------------------------------------
# Tiny random fixtures.

def tiny_clap(gen):
    torch.manual_seed(1)
    model = ClapAudioTower(widths=(4, 4, 8, 8, 8, 16), out_emb=16, d_proj=12).eval()
    randomize_batchnorm(model, gen)
    out = os.path.join(FIXTURES, 'ms-clap-2022')
    export_clap(model, out)
    rng = np.random.default_rng(5)
    clips = {'clip0': (48000, (0.3 * np.sin(2 * np.pi * 523 * np.arange(12000) / 48000) + 0.05 * rng.standard_normal(12000))),
             'clip1': (44100, 0.2 * rng.standard_normal(8000))}
    t = {}
    feats = []
    for name, (sr, x) in clips.items():
        x = x.astype(np.float32)
        t[f'{name}_samples'] = f32(x)
        t[f'{name}_rate'] = f32([sr])
        wave = ref.tile_or_crop(ref.resample(x.astype(np.float64), sr, 44100).astype(np.float32), ref.CLAP_SAMPLES, None)
        feats.append(f32(ref.clap_logmel(wave.astype(np.float64)))[None])
    with torch.no_grad():
        emb = model(torch.from_numpy(np.stack(feats)))
    emb = F.normalize(emb, dim=-1)
    t['audio_embeds'] = f32(emb)
    save_file(t, os.path.join(out, 'reference.safetensors'))


def tiny_clip_text():
    from transformers import CLIPTextConfig, CLIPTextModelWithProjection, CLIPTokenizer
    vocab = json.load(open(os.path.join(TINY_BPE, 'vocab.json'), encoding='utf-8'))
    torch.manual_seed(2)
    cfg = CLIPTextConfig(vocab_size=len(vocab), hidden_size=24, intermediate_size=48, num_hidden_layers=2, num_attention_heads=2,
                         max_position_embeddings=77, projection_dim=10, bos_token_id=vocab['<|startoftext|>'],
                         eos_token_id=vocab['<|endoftext|>'], pad_token_id=vocab['<|endoftext|>'])
    model = CLIPTextModelWithProjection(cfg).eval()
    model.config._attn_implementation = 'eager'
    out = os.path.join(FIXTURES, 'clip-text')
    export_clip_text(model, out)
    for f in ('vocab.json', 'merges.txt'):
        shutil.copy(os.path.join(TINY_BPE, f), os.path.join(out, f))
    tok = CLIPTokenizer(vocab=os.path.join(TINY_BPE, 'vocab.json'), merges=os.path.join(TINY_BPE, 'merges.txt'))
    texts = ['fire crackling', 'Thunder rolls over the hills', 'a stick hitting metal and wood and glass']
    ids = torch.tensor(tok(texts, padding='max_length', max_length=77, truncation=True)['input_ids'])
    with torch.no_grad():
        o = model(input_ids=ids, return_dict=True)
    save_file({'last_hidden_state': f32(o.last_hidden_state), 'text_embeds': f32(o.text_embeds), 'input_ids': f32(ids)},
              os.path.join(out, 'reference.safetensors'))
    json.dump({'texts': texts}, open(os.path.join(out, 'reference.json'), 'w'), indent=1)


def tiny_images(rng, shapes):
    imgs = []
    for h, w in shapes:
        img = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        yy, xx = np.mgrid[0:h, 0:w]
        img[..., 1] = ((xx * 7 + yy * 3) % 256).astype(np.uint8)
        imgs.append(img)
    return imgs


def tiny_clip_image():
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection
    torch.manual_seed(3)
    size = 32
    cfg = CLIPVisionConfig(hidden_size=24, intermediate_size=48, num_hidden_layers=2, num_attention_heads=2, image_size=size,
                           patch_size=8, projection_dim=10)
    model = CLIPVisionModelWithProjection(cfg).eval()
    model.config._attn_implementation = 'eager'
    out = os.path.join(FIXTURES, 'clip-image')
    export_clip_image(model, size, out)
    imgs = tiny_images(np.random.default_rng(8), [(40, 52), (30, 30)])
    proc = CLIPImageProcessor(size={'shortest_edge': size}, crop_size={'height': size, 'width': size})
    pv = torch.from_numpy(proc(images=imgs, return_tensors='np')['pixel_values'])
    with torch.no_grad():
        emb = F.normalize(model(pixel_values=pv).image_embeds, dim=-1)
    t = {f'image{i}': f32(im) for i, im in enumerate(imgs)}
    t['image_embeds'] = f32(emb)
    save_file(t, os.path.join(out, 'reference.safetensors'))


def tiny_wav2clip(gen):
    torch.manual_seed(4)
    model = Wav2ClipTower(widths=(4, 8, 8, 16), blocks=(1, 1, 1, 1), mlp=(16, 16, 14)).eval()
    randomize_batchnorm(model, gen)
    out = os.path.join(FIXTURES, 'wav2clip')
    export_wav2clip(model, out)
    rng = np.random.default_rng(6)
    x = (0.3 * np.sin(2 * np.pi * 220 * np.arange(4000) / 16000) + 0.05 * rng.standard_normal(4000)).astype(np.float32)
    wave = ref.pad_right(ref.resample(x.astype(np.float64), 16000, 44100).astype(np.float32), ref.W2C_SAMPLES)
    feats = f32(ref.wav2clip_features(wave.astype(np.float64)))[None, None]
    with torch.no_grad():
        emb = F.normalize(model(torch.from_numpy(feats)), dim=-1)
    save_file({'clip0_samples': x, 'clip0_rate': f32([16000]), 'audio_embeds': f32(emb)}, os.path.join(out, 'reference.safetensors'))


def tiny_inception():
    torch.manual_seed(5)
    model = InceptionSignatureStandin().eval()
    out = os.path.join(FIXTURES, 'inception-v3')
    export_inception(model, out)
    imgs = tiny_images(np.random.default_rng(9), [(20, 24)])
    x = torch.from_numpy(np.stack([im.astype(np.float32) / 255 for im in imgs])).permute(0, 3, 1, 2)
    x = F.interpolate(x, size=(299, 299), mode='bilinear', align_corners=False)
    with torch.no_grad():
        feats = model(x)
    save_file({'image0': f32(imgs[0]), 'pool3': f32(feats)}, os.path.join(out, 'reference.safetensors'))


def tiny_gpt2_vocab(out):
    """A byte-level GPT-2 vocabulary: 256 byte symbols, a few merges, <|endoftext|>."""
    b2u = {b: c for b, c in zip(range(256), [None] * 256)}
    from make_frontend_fixtures import bytes_to_unicode
    b2u = bytes_to_unicode()
    symbols = [b2u[b] for b in range(256)]
    merges = [('Ġ', 't'), ('h', 'e'), ('Ġt', 'he'), ('i', 'n'), ('Ġ', 'a'), ('r', 'e'), ('o', 'n'), ('Ġ', 's')]
    vocab = {s: i for i, s in enumerate(symbols)}
    for a, b in merges:
        vocab[a + b] = len(vocab)
    vocab['<|endoftext|>'] = len(vocab)
    json.dump(vocab, open(os.path.join(out, 'vocab.json'), 'w', encoding='utf-8'), ensure_ascii=False)
    with open(os.path.join(out, 'merges.txt'), 'w', encoding='utf-8') as f:
        f.write('#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in merges))
    return vocab


def make_tiny_ved(seed, vocab_size, eos, size):
    from transformers import GPT2Config, ViTConfig, VisionEncoderDecoderConfig, VisionEncoderDecoderModel
    torch.manual_seed(seed)
    enc_cfg = ViTConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32, image_size=size, patch_size=8)
    dec_cfg = GPT2Config(vocab_size=vocab_size, n_positions=32, n_embd=16, n_layer=1, n_head=2, add_cross_attention=True,
                         bos_token_id=eos, eos_token_id=eos, is_decoder=True, initializer_range=0.5)
    cfg = VisionEncoderDecoderConfig.from_encoder_decoder_configs(enc_cfg, dec_cfg)
    cfg.decoder_start_token_id = eos
    cfg.eos_token_id = eos
    cfg.pad_token_id = eos
    ved = VisionEncoderDecoderModel(config=cfg).eval()
    with torch.no_grad():  # tied embeddings: rows of non-printable byte symbols get logit 0, so output stays ASCII
        for b in range(256):
            if not (97 <= b <= 122 or b == 32):
                ved.decoder.transformer.wte.weight[b] *= 0.0
    for sub in (ved.encoder, ved.decoder):
        sub.config._attn_implementation = 'eager'
    return ved


def vit_pixel_values(imgs, size):
    from transformers import ViTImageProcessor
    proc = ViTImageProcessor(size={'height': size, 'width': size}, resample=2, image_mean=[0.5] * 3, image_std=[0.5] * 3)
    return torch.from_numpy(proc(images=imgs, return_tensors='np')['pixel_values'])


def greedy_reference(ved, imgs, size, eos, max_len):
    from transformers import GPT2Tokenizer
    out = os.path.join(FIXTURES, 'captioner')
    tok = GPT2Tokenizer(vocab=os.path.join(out, 'vocab.json'), merges=os.path.join(out, 'merges.txt'))
    pv = vit_pixel_values(imgs, size)
    results = []
    with torch.no_grad():
        hidden = ved.encoder(pixel_values=pv).last_hidden_state
        for b in range(len(imgs)):
            ids = [eos]
            for _ in range(max_len):
                logits = ved.decoder(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                                     encoder_hidden_states=hidden[b:b + 1], use_cache=False).logits
                nxt = int(logits[0, -1].argmax())
                ids.append(nxt)
                if nxt == eos:
                    break
            gen = [i for i in ids[1:] if i != eos]
            results.append({'ids': ids, 'text': tok.decode(gen, skip_special_tokens=True).strip()})
    return results


def tiny_captioner():
    out = os.path.join(FIXTURES, 'captioner')
    os.makedirs(out, exist_ok=True)
    vocab = tiny_gpt2_vocab(out)
    eos = vocab['<|endoftext|>']
    size = 32
    imgs = tiny_images(np.random.default_rng(10), [(36, 44), (32, 32)])
    # Random weights babble; pick the first seed whose greedy captions are printable, differ between the two
    # images, and stop at the end token for at least one of them (so the loop's stop rule is exercised).
    for seed in range(6, 200):
        ved = make_tiny_ved(seed, len(vocab), eos, size)
        results = greedy_reference(ved, imgs, size, eos, 12)
        if any(r['ids'][-1] == eos for r in results) and results[0]['ids'] != results[1]['ids']:
            break
    print('captioner seed', seed, results)
    export_captioner(ved, size, out)
    max_len = 12
    cap_cfg = {'decoderStartTokenId': eos, 'eosTokenId': eos, 'maxLength': max_len,
               'image': {'size': size, 'resample': 'bilinear', 'mean': [0.5] * 3, 'std': [0.5] * 3}}
    json.dump(cap_cfg, open(os.path.join(out, 'captioner.json'), 'w'), indent=1)
    pv = vit_pixel_values(imgs, size)
    save_file({f'image{i}': f32(im) for i, im in enumerate(imgs)} | {'pixel_values': f32(pv)}, os.path.join(out, 'reference.safetensors'))
    json.dump({'captions': results}, open(os.path.join(out, 'reference.json'), 'w', encoding='utf-8'), indent=1, ensure_ascii=False)


def tiny_vae():
    from diffusers import AutoencoderKL
    torch.manual_seed(7)
    vae = AutoencoderKL(block_out_channels=(4, 4, 8, 8), down_block_types=('DownEncoderBlock2D',) * 4,
                        up_block_types=('UpDecoderBlock2D',) * 4, layers_per_block=1, latent_channels=4, norm_num_groups=2,
                        sample_size=16).eval()
    out = os.path.join(FIXTURES, 'sd-vae')
    export_vae(vae, 16, out)
    img = tiny_images(np.random.default_rng(11), [(16, 16)])[0]
    x = torch.from_numpy(img.astype(np.float32) / 255).permute(2, 0, 1)[None] * 2 - 1
    enc, dec = vae_wrappers(vae)
    with torch.no_grad():
        mean = enc(x)
        recon = dec(mean)
    save_file({'image0': f32(img), 'latent_mean': f32(mean), 'decoded': f32(recon)}, os.path.join(out, 'reference.safetensors'))


def bad_model():
    """A model whose output has the wrong name and rank for onnx-clip-image: the loader must reject it."""
    class Bad(nn.Module):
        def forward(self, pixel_values):
            return pixel_values.mean(dim=1)
    out = os.path.join(FIXTURES, 'bad')
    os.makedirs(out, exist_ok=True)
    export(Bad(), (torch.zeros(1, 3, 8, 8),), os.path.join(out, 'vision_model.onnx'), ['pixel_values'], ['features'],
           {'pixel_values': {0: 'B'}, 'features': {0: 'B'}})


def fixtures(only=()):
    gen = torch.Generator().manual_seed(0)
    steps = {'clap': lambda: tiny_clap(gen), 'clip-text': tiny_clip_text, 'clip-image': tiny_clip_image,
             'wav2clip': lambda: tiny_wav2clip(gen), 'inception': tiny_inception, 'captioner': tiny_captioner,
             'vae': tiny_vae, 'bad': bad_model}
    for name, step in steps.items():
        if not only or name in only:
            step()
    total = 0
    for d, _, files in os.walk(FIXTURES):
        for f in files:
            if f.endswith('.onnx'):
                total += os.path.getsize(os.path.join(d, f))
    print(f'ONNX fixtures: {total / 1e6:.2f} MB under {FIXTURES}')


REAL = {
    'ms-clap-2022': export_real_clap,
    'clip-text': export_real_clip_text,
    'clip-image': export_real_clip_image,
    'wav2clip': export_real_wav2clip,
    'inception-v3': export_real_inception,
    'vit-gpt2': export_real_vit_gpt2,
    'blip2': export_real_blip2,
    'sd-vae': export_real_vae,
}

if __name__ == '__main__':
    if len(sys.argv) >= 2 and sys.argv[1] == 'fixtures':
        fixtures(sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == 'real' and sys.argv[2] in REAL:
        REAL[sys.argv[2]](sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f'usage: export_onnx_models.py fixtures | real <{"|".join(REAL)}> <checkpoint-or-folder> <out_dir>')
