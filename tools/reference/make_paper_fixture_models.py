"""A coherent tiny random-weight model set for `pipelines/paper.yaml --set profile=fixture`.

Every file has the real signature (src/encoders/onnx/signatures.ts, the SD-1.x diffusers layout) and the
dimensions agree with each other the way the real models' do:
  CLAP audio D_a = 12 (the projector's input)
  CLIP text: N = 77 tokens of width W = 32 (= the UNet's cross_attention_dim, so the projector's tokens and
             the text tokens share one space), pooled P = 16
  CLIP image: S = 32, P = 16 (the same space as the text's P: AIC; also serves as the ViT-B/32 role: AIS)
  Wav2CLIP: D = 16 (the AIS image space)
  Inception stand-in: [B,3,299,299] -> [B,2048]
  captioner: ViT(32px) + GPT-2 pair over a byte-level vocabulary
  SD VAE: 8x downsampling, 4 latent channels; SD UNet: 4 in/out channels, cross_attention_dim 32, for
          32x32 images (4x4 latents); SD 1.4's own scheduler_config.json
Writes test/fixtures/paper-models/<registry dir>/ as experiments/models.fixture.yaml lists them.
Usage: /work/venv-ref/bin/python tools/reference/make_paper_fixture_models.py
"""
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import export_onnx_models as ex  # noqa: E402

OUT = os.path.join(ex.ROOT, 'test', 'fixtures', 'paper-models')
IMAGE = 32
TEXT_WIDTH = 32
JOINT = 16


def clap(gen):
    torch.manual_seed(11)
    model = ex.ClapAudioTower(widths=(4, 4, 8, 8, 8, 16), out_emb=16, d_proj=12).eval()
    ex.randomize_batchnorm(model, gen)
    ex.export_clap(model, os.path.join(OUT, 'ms-clap-2022'))


def clip_text():
    from transformers import CLIPTextConfig, CLIPTextModelWithProjection
    vocab = json.load(open(os.path.join(ex.TINY_BPE, 'vocab.json'), encoding='utf-8'))
    torch.manual_seed(12)
    cfg = CLIPTextConfig(vocab_size=len(vocab), hidden_size=TEXT_WIDTH, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                         max_position_embeddings=77, projection_dim=JOINT, bos_token_id=vocab['<|startoftext|>'],
                         eos_token_id=vocab['<|endoftext|>'], pad_token_id=vocab['<|endoftext|>'])
    model = CLIPTextModelWithProjection(cfg).eval()
    model.config._attn_implementation = 'eager'
    out = os.path.join(OUT, 'clip-vit-large-patch14-text')
    ex.export_clip_text(model, out)
    for f in ('vocab.json', 'merges.txt'):
        shutil.copy(os.path.join(ex.TINY_BPE, f), os.path.join(out, f))


def clip_image():
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection
    torch.manual_seed(13)
    cfg = CLIPVisionConfig(hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2, image_size=IMAGE,
                           patch_size=8, projection_dim=JOINT)
    model = CLIPVisionModelWithProjection(cfg).eval()
    model.config._attn_implementation = 'eager'
    # One tiny tower plays both CLIP image roles (ViT-L/14 for IIS/AIC, ViT-B/32 for AIS): the same file in
    # both registry directories, so the fixture has the real layout.
    ex.export_clip_image(model, IMAGE, os.path.join(OUT, 'clip-vit-large-patch14-image'))
    os.makedirs(os.path.join(OUT, 'clip-vit-base-patch32-image'))
    shutil.copy(os.path.join(OUT, 'clip-vit-large-patch14-image', 'vision_model.onnx'), os.path.join(OUT, 'clip-vit-base-patch32-image'))


def wav2clip(gen):
    torch.manual_seed(14)
    model = ex.Wav2ClipTower(widths=(4, 8, 8, 16), blocks=(1, 1, 1, 1), mlp=(16, 16, JOINT)).eval()
    ex.randomize_batchnorm(model, gen)
    ex.export_wav2clip(model, os.path.join(OUT, 'wav2clip'))


def inception():
    torch.manual_seed(15)
    ex.export_inception(ex.InceptionSignatureStandin().eval(), os.path.join(OUT, 'inception-v3-fid'))


def captioner():
    out = os.path.join(OUT, 'captioner-vit-gpt2')
    os.makedirs(out, exist_ok=True)
    vocab = ex.tiny_gpt2_vocab(out)
    eos = vocab['<|endoftext|>']
    ved = ex.make_tiny_ved(16, len(vocab), eos, IMAGE)
    ex.export_captioner(ved, IMAGE, out)
    cfg = {'decoderStartTokenId': eos, 'eosTokenId': eos, 'maxLength': 8,
           'image': {'size': IMAGE, 'resample': 'bilinear', 'mean': [0.5] * 3, 'std': [0.5] * 3}}
    json.dump(cfg, open(os.path.join(out, 'captioner.json'), 'w'), indent=1)


def sd():
    from diffusers import AutoencoderKL, UNet2DConditionModel
    torch.manual_seed(17)
    vae = AutoencoderKL(block_out_channels=(4, 4, 8, 8), down_block_types=('DownEncoderBlock2D',) * 4,
                        up_block_types=('UpDecoderBlock2D',) * 4, layers_per_block=1, latent_channels=4, norm_num_groups=2,
                        sample_size=IMAGE).eval()
    ex.export_vae(vae, IMAGE, os.path.join(OUT, 'sd-v1-4-vae'))
    torch.manual_seed(18)
    unet = UNet2DConditionModel(sample_size=IMAGE // 8, in_channels=4, out_channels=4, block_out_channels=(16, 32), layers_per_block=1,
                                down_block_types=('CrossAttnDownBlock2D', 'DownBlock2D'), up_block_types=('UpBlock2D', 'CrossAttnUpBlock2D'),
                                attention_head_dim=4, cross_attention_dim=TEXT_WIDTH, norm_num_groups=8).eval()
    # diffusers' layout and key names, as CompVis/stable-diffusion-v1-4/unet ships them.
    unet.save_pretrained(os.path.join(OUT, 'upstream', 'stable-diffusion-v1-4', 'unet'), safe_serialization=True)
    sd_scheduler(os.path.join(OUT, 'upstream', 'stable-diffusion-v1-4', 'scheduler'))


# CompVis/stable-diffusion-v1-4's scheduler/scheduler_config.json as published (a PNDMScheduler config whose
# clip_sample: false was added for DDIMScheduler.from_pretrained; PNDMScheduler.save_pretrained would drop it).
SD14_SCHEDULER_CONFIG = {
    '_class_name': 'PNDMScheduler', '_diffusers_version': '0.7.0.dev0', 'beta_end': 0.012, 'beta_schedule': 'scaled_linear',
    'beta_start': 0.00085, 'num_train_timesteps': 1000, 'set_alpha_to_one': False, 'skip_prk_steps': True, 'steps_offset': 1,
    'trained_betas': None, 'clip_sample': False,
}


def sd_scheduler(out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'scheduler_config.json'), 'w') as f:
        json.dump(SD14_SCHEDULER_CONFIG, f, indent=2)
        f.write('\n')


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    gen = torch.Generator().manual_seed(10)
    clap(gen)
    clip_text()
    clip_image()
    wav2clip(gen)
    inception()
    captioner()
    sd()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print(f'paper fixture models: {total / 1e6:.2f} MB under {OUT}')


if __name__ == '__main__':
    main()
