"""Writes the reference fixtures for the TypeScript UNet2DCondition (with gated audio adapters) and
AutoencoderKL into test/fixtures/reference/unet/. Run with the reference venv:

    /work/venv-ref/bin/python tools/reference/make_unet_fixtures.py

Tensors are float32 safetensors in PyTorch layout (NCHW activations, diffusers parameter names).
"""

import json
import os
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiny_models import (TINY_ADAPTER, TINY_UNET, TINY_VAE, add_gated_adapters, adapter_blocks,  # noqa: E402
                         build_tiny_unet, build_tiny_vae, count_params, set_audio_context)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "reference", "unet")

BATCH = 3  # PnP layout: [source, uncond, cond]
TEXT_LEN = 7
AUDIO_LEN = 5

# PnP sites of the tiny model, mirroring SD's decoder sites (spec §7.2): the self-attention of the
# CrossAttn up block's attentions.1/.2 and its resnets.1/.2.
PNP_QK_SITES = ["up_blocks.1.attentions.1.transformer_blocks.0.attn1",
                "up_blocks.1.attentions.2.transformer_blocks.0.attn1"]
PNP_RESNET_SITES = ["up_blocks.1.resnets.1", "up_blocks.1.resnets.2"]

# Frozen-weight gradients kept for full-model training checks: one of each layer kind, incl. the stride-2
# conv, the upsampler conv and a 1×1 shortcut.
FULL_GRAD_PARAMS = [
    "conv_in.weight", "time_embedding.linear_1.weight", "down_blocks.0.resnets.0.conv1.weight",
    "down_blocks.0.attentions.0.proj_in.weight", "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight",
    "down_blocks.0.downsamplers.0.conv.weight", "down_blocks.1.resnets.0.conv_shortcut.weight",
    "mid_block.attentions.0.transformer_blocks.0.ff.net.0.proj.weight", "up_blocks.0.upsamplers.0.conv.weight",
    "up_blocks.1.resnets.2.norm1.weight", "conv_norm_out.bias", "conv_out.weight",
]


def replicate_chunk0(x):
    """PnP injection: chunks 1 and 2 (uncond, cond) take chunk 0's (source) values."""
    n = x.shape[0] // 3
    return torch.cat([x[:n], x[:n], x[:n]], dim=0)


class InjectQKProcessor:
    """AttnProcessor2_0 with Q and K replaced right after their projections (pnp_utils sa_forward)."""

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, **kwargs):
        assert encoder_hidden_states is None and attention_mask is None
        b = hidden_states.shape[0]
        q = replicate_chunk0(attn.to_q(hidden_states))
        k = replicate_chunk0(attn.to_k(hidden_states))
        v = attn.to_v(hidden_states)
        d = q.shape[-1] // attn.heads
        q, k, v = (t.view(b, -1, attn.heads, d).transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, -1, attn.heads * d)
        return attn.to_out[1](attn.to_out[0](out))


def resnet_forward_with_injection(self, input_tensor, temb, *args, **kwargs):
    """ResnetBlock2D.forward (default time-scale-shift) with the residual replaced after conv2."""
    h = self.nonlinearity(self.norm1(input_tensor))
    h = self.conv1(h)
    h = h + self.time_emb_proj(self.nonlinearity(temb))[:, :, None, None]
    h = self.conv2(self.dropout(self.nonlinearity(self.norm2(h))))
    h = replicate_chunk0(h)
    shortcut = self.conv_shortcut(input_tensor) if self.conv_shortcut is not None else input_tensor
    return (shortcut + h) / self.output_scale_factor


def install_pnp(unet):
    modules = dict(unet.named_modules())
    saved = {}
    for site in PNP_QK_SITES:
        saved[site] = modules[site].processor
        modules[site].set_processor(InjectQKProcessor())
    for site in PNP_RESNET_SITES:
        modules[site].forward = resnet_forward_with_injection.__get__(modules[site])
    return saved


def fixture_metadata(info):
    """One JSON metadata entry: several entries would be written in hash order, changing bytes on each run."""
    return {"fixture": json.dumps(info, sort_keys=True)}


def tensors_of(module):
    return {k: v.detach().contiguous().float() for k, v in module.state_dict().items()}


def rel_err(a, b):
    return ((a - b).norm() / b.norm()).item()


def make_unet():
    unet = build_tiny_unet(seed=0)
    g = torch.Generator().manual_seed(1234)
    sample = torch.randn(BATCH, TINY_UNET["in_channels"], TINY_UNET["sample_size"], TINY_UNET["sample_size"], generator=g)
    text = torch.randn(BATCH, TEXT_LEN, TINY_UNET["cross_attention_dim"], generator=g)
    audio = torch.randn(BATCH, AUDIO_LEN, TINY_ADAPTER["audio_cross_attention_dim"], generator=g)
    target = torch.randn(sample.shape, generator=g)
    timesteps = torch.tensor([999.0, 500.0, 1.0])
    pnp_timestep = torch.tensor([641.0])

    with torch.no_grad():
        set_audio_context(unet, None)
        eps_no_audio = unet(sample, timesteps, encoder_hidden_states=text).sample
        set_audio_context(unet, audio)
        eps_audio = unet(sample, timesteps, encoder_hidden_states=text).sample
        assert rel_err(eps_audio, eps_no_audio) > 1e-2, "adapters must change the output"

    # Sanity: with audio off, the patched blocks equal stock diffusers blocks.
    from diffusers import UNet2DConditionModel
    stock = UNet2DConditionModel(**TINY_UNET).eval()
    stock.load_state_dict({k: v for k, v in unet.state_dict().items() if "adapter" not in k})
    with torch.no_grad():
        assert rel_err(stock(sample, timesteps, encoder_hidden_states=text).sample, eps_no_audio) < 1e-6

    # (d) gradients of the ε-MSE w.r.t. every adapter parameter, with audio on.
    set_audio_context(unet, audio)
    adapter_params = {k: p for k, p in unet.named_parameters() if "adapter" in k}
    all_params = dict(unet.named_parameters())
    wanted = {**adapter_params, **{k: all_params[k] for k in FULL_GRAD_PARAMS}}
    loss = ((unet(sample, timesteps, encoder_hidden_states=text).sample - target) ** 2).mean()
    grads = torch.autograd.grad(loss, list(wanted.values()))
    all_grads = {k: g.detach().contiguous() for k, g in zip(wanted, grads)}
    adapter_grads = {k: all_grads[k] for k in adapter_params}
    frozen_grads = {k: all_grads[k] for k in FULL_GRAD_PARAMS}

    # (c) PnP-injected forward at one shared timestep, audio on.
    with torch.no_grad():
        eps_plain = unet(sample, pnp_timestep, encoder_hidden_states=text).sample
        install_pnp(unet)
        eps_pnp = unet(sample, pnp_timestep, encoder_hidden_states=text).sample
    assert rel_err(eps_pnp[:1], eps_plain[:1]) < 1e-6, "the source chunk is untouched by injection"
    assert rel_err(eps_pnp[1:], eps_plain[1:]) > 1e-2, "injection must change chunks 1 and 2"
    set_audio_context(unet, None)

    weights = tensors_of(unet)
    meta = fixture_metadata({
        "config": {**TINY_UNET, **TINY_ADAPTER},
        "pnp_qk_sites": PNP_QK_SITES,
        "pnp_resnet_sites": PNP_RESNET_SITES,
        "adapter_blocks": [name for name, _ in adapter_blocks(unet)],
        "param_count": count_params(unet),
        "loss": loss.item(),
    })
    save_file(weights, os.path.join(OUT, "tiny_unet_weights.safetensors"), metadata=meta)
    io = {
        "sample": sample, "timesteps": timesteps, "pnp_timestep": pnp_timestep, "text": text, "audio": audio,
        "target": target, "eps_no_audio": eps_no_audio, "eps_audio": eps_audio, "eps_pnp": eps_pnp,
        "loss": loss.detach().reshape(1),
    }
    save_file({k: v.contiguous().float() for k, v in io.items()}, os.path.join(OUT, "tiny_unet_io.safetensors"), metadata=meta)
    save_file(adapter_grads, os.path.join(OUT, "tiny_unet_adapter_grads.safetensors"), metadata=meta)
    save_file(frozen_grads, os.path.join(OUT, "tiny_unet_frozen_grads.safetensors"), metadata=meta)
    print(f"unet: {count_params(unet)} params, {len(adapter_params)} adapter tensors, loss {loss.item():.6f}")


def make_vae():
    vae = build_tiny_vae(seed=0)
    g = torch.Generator().manual_seed(99)
    image = torch.rand(2, TINY_VAE["in_channels"], TINY_VAE["sample_size"], TINY_VAE["sample_size"], generator=g) * 2 - 1
    latent_size = TINY_VAE["sample_size"] // 2 ** (len(TINY_VAE["block_out_channels"]) - 1)
    z = torch.randn(2, TINY_VAE["latent_channels"], latent_size, latent_size, generator=g)
    with torch.no_grad():
        mean = vae.encode(image).latent_dist.mean
        decoded = vae.decode(z).sample
    meta = fixture_metadata({"config": TINY_VAE, "param_count": count_params(vae)})
    save_file(tensors_of(vae), os.path.join(OUT, "tiny_vae_weights.safetensors"), metadata=meta)
    io = {"image": image, "posterior_mean": mean, "z": z, "decoded": decoded}
    save_file({k: v.contiguous().float() for k, v in io.items()}, os.path.join(OUT, "tiny_vae_io.safetensors"), metadata=meta)
    print(f"vae: {count_params(vae)} params")


def make_sd14_shapes():
    """Key -> torch shape of SD-1.4's UNet (+ SonicDiffusion adapters) and VAE, built on the meta device."""
    from diffusers import AutoencoderKL, UNet2DConditionModel
    with torch.device("meta"):
        unet = UNet2DConditionModel(sample_size=64, cross_attention_dim=768, attention_head_dim=8)
        add_gated_adapters(unet, audio_cross_attention_dim=768, adapter_heads=8, use_adapter=(False, True, True))
        vae = AutoencoderKL(block_out_channels=(128, 256, 512, 512), down_block_types=["DownEncoderBlock2D"] * 4,
                            up_block_types=["UpDecoderBlock2D"] * 4, layers_per_block=2, latent_channels=4,
                            norm_num_groups=32, sample_size=512)
    shapes = {
        "unet": {k: list(v.shape) for k, v in unet.state_dict().items()},
        "vae": {k: list(v.shape) for k, v in vae.state_dict().items()},
    }
    with open(os.path.join(OUT, "sd14_shapes.json"), "w") as f:
        json.dump(shapes, f, separators=(",", ":"), sort_keys=True)
    print(f"sd14: {len(shapes['unet'])} unet keys, {len(shapes['vae'])} vae keys")


if __name__ == "__main__":
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    make_unet()
    make_vae()
    make_sd14_shapes()
