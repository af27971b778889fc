"""Writes the fixtures of the public loading API (src/sonic/pretrained/) into
test/fixtures/reference/pretrained/. Run with the reference venv:

    /work/venv-ref/bin/python tools/reference/make_pretrained_fixtures.py

- sd2-tiny/unet, sd2-tiny/vae: real diffusers directories (save_pretrained: config.json with every field of
  diffusers' class + diffusion_pytorch_model.safetensors) of a tiny SD-2.x-style model: use_linear_projection,
  attention_head_dim given per block, upcast_attention.
- sd2-tiny/scheduler: SD 2.x-base's DDIMScheduler config (scaled_linear, ε-prediction).
- sd2-tiny/adapters.safetensors: SonicDiffusion gated adapters for that UNet (the 8 tensors per adapted block).
- sd2-tiny-io.safetensors: inputs and diffusers' outputs: ε without audio (stock diffusers), ε with the
  adapters and audio tokens, the VAE decoding of a latent.
- sd21_unet.json: SD 2.1's UNet config as diffusers 0.42 writes it and its state_dict shapes (meta device).
"""

import json
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiny_models import TINY_VAE, add_gated_adapters, adapter_blocks, build_tiny_vae, set_audio_context  # noqa: E402

from diffusers import DDIMScheduler, UNet2DConditionModel  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "reference", "pretrained")

SD2_TINY_UNET = dict(
    sample_size=8,
    block_out_channels=(16, 32),
    layers_per_block=1,
    down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=16,
    attention_head_dim=(2, 4),  # per block, as SD 2.x's [5, 10, 20, 20] (the number of heads in diffusers)
    use_linear_projection=True,
    upcast_attention=True,
    norm_num_groups=8,
)
SD2_TINY_ADAPTER = dict(audio_cross_attention_dim=12, adapter_heads=2, use_adapter=(False, True, True))

# stabilityai/stable-diffusion-2-1 unet/config.json (non-default fields).
SD21_UNET = dict(
    sample_size=96,
    attention_head_dim=[5, 10, 20, 20],
    cross_attention_dim=1024,
    use_linear_projection=True,
    upcast_attention=True,
)


def randomise_(module, generator, names=None):
    """Norm weights near 1, nonzero biases, so every parameter matters (weights keep torch's init)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if names is not None and name not in names:
                continue
            noise = torch.randn(p.shape, generator=generator)
            if "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * noise)
            elif name.endswith("bias"):
                p.copy_(0.1 * noise)


def rel_err(a, b):
    return ((a - b).norm() / b.norm()).item()


def make_sd2_tiny():
    root = os.path.join(OUT, "sd2-tiny")
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**SD2_TINY_UNET).eval()
    randomise_(unet, torch.Generator().manual_seed(1))
    unet.save_pretrained(os.path.join(root, "unet"))

    g = torch.Generator().manual_seed(2)
    sample = torch.randn(2, 4, 8, 8, generator=g)
    timesteps = torch.tensor([999.0, 10.0])
    text = torch.randn(2, 5, SD2_TINY_UNET["cross_attention_dim"], generator=g)
    audio = torch.randn(2, 3, SD2_TINY_ADAPTER["audio_cross_attention_dim"], generator=g)
    with torch.no_grad():
        eps_text = unet(sample, timesteps, encoder_hidden_states=text).sample

    torch.manual_seed(3)
    add_gated_adapters(unet, **SD2_TINY_ADAPTER)
    adapter_names = {k for k, _ in unet.named_parameters() if "adapter" in k}
    randomise_(unet, torch.Generator().manual_seed(4), adapter_names)
    with torch.no_grad():
        for i, (_, block) in enumerate(adapter_blocks(unet)):
            block.gate_adapter.fill_(0.4 * (-1) ** i + 0.05 * i)
        set_audio_context(unet, None)
        assert rel_err(unet(sample, timesteps, encoder_hidden_states=text).sample, eps_text) < 1e-6
        set_audio_context(unet, audio)
        eps_audio = unet(sample, timesteps, encoder_hidden_states=text).sample
        set_audio_context(unet, None)
    assert rel_err(eps_audio, eps_text) > 1e-2, "the adapters must change the output"
    adapters = {k: v.detach().contiguous().float() for k, v in unet.state_dict().items() if "adapter" in k}
    save_file(adapters, os.path.join(root, "adapters.safetensors"))

    vae = build_tiny_vae(seed=5)
    vae.save_pretrained(os.path.join(root, "vae"))
    # SD 2.x-base's scheduler settings (ε-prediction).
    DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                  set_alpha_to_one=False, steps_offset=1).save_pretrained(os.path.join(root, "scheduler"))
    side = TINY_VAE["sample_size"] // 2 ** (len(TINY_VAE["block_out_channels"]) - 1)
    z = torch.randn(2, TINY_VAE["latent_channels"], side, side, generator=g)
    with torch.no_grad():
        decoded = vae.decode(z).sample

    io = {"sample": sample, "timesteps": timesteps, "text": text, "audio": audio, "eps_text": eps_text,
          "eps_audio": eps_audio, "z": z, "decoded": decoded}
    save_file({k: v.contiguous().float() for k, v in io.items()}, os.path.join(OUT, "sd2-tiny-io.safetensors"))
    print(f"sd2-tiny: {sum(p.numel() for p in unet.parameters())} UNet params, {len(adapters)} adapter tensors")


def make_sd21_shapes():
    with torch.device("meta"):
        unet = UNet2DConditionModel(**SD21_UNET)
    config = {k: v for k, v in unet.config.items() if not k.startswith("_")}
    config = json.loads(json.dumps({"_class_name": "UNet2DConditionModel", **config}))
    shapes = {k: list(v.shape) for k, v in unet.state_dict().items()}
    with open(os.path.join(OUT, "sd21_unet.json"), "w") as f:
        json.dump({"config": config, "shapes": shapes}, f, separators=(",", ":"), sort_keys=True)
    print(f"sd21: {len(shapes)} unet keys")


def make_readable():
    """safetensors writes 0600 files; the committed fixtures are 0644 like the rest."""
    for root, _, files in os.walk(OUT):
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    make_sd2_tiny()
    make_sd21_shapes()
    make_readable()
