"""Tiny diffusers models shared by the fixture generators, plus the SonicDiffusion gated audio adapter.

The tiny UNet mirrors the SD-1.4 structure at toy sizes: a CrossAttn down block, a plain down block,
a plain up block (like SD's up_blocks.0) and a CrossAttn up block whose resnets.1/.2 and attentions.1/.2
play the role of SD's PnP injection sites. The TypeScript presets `tiny` (UNet) and `tiny` (VAE) must
equal these configs; the generator writes them into the fixture metadata so the tests can check that.
"""

import torch
from torch import nn
from diffusers import AutoencoderKL, UNet2DConditionModel
from diffusers.models.attention import BasicTransformerBlock
from diffusers.models.attention_processor import Attention

TINY_UNET = dict(
    sample_size=8,
    in_channels=4,
    out_channels=4,
    block_out_channels=(16, 32),
    layers_per_block=2,
    down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=24,
    attention_head_dim=4,  # diffusers quirk: for SD-1.x this is the number of heads
    norm_num_groups=8,
    norm_eps=1e-5,
    flip_sin_to_cos=True,
    freq_shift=0,
)

# Adapter settings of the tiny model (SD-1.4: audio dim 768, 8 heads, [down, mid, up] = [False, True, True]).
TINY_ADAPTER = dict(audio_cross_attention_dim=20, adapter_heads=2, use_adapter=(False, True, True))

TINY_VAE = dict(
    in_channels=3,
    out_channels=3,
    down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
    up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
    block_out_channels=(8, 16),
    layers_per_block=1,
    latent_channels=4,
    norm_num_groups=4,
    sample_size=16,
    scaling_factor=0.18215,
)


def gated_adapter_forward(self, hidden_states, attention_mask=None, encoder_hidden_states=None,
                          encoder_attention_mask=None, timestep=None, cross_attention_kwargs=None,
                          class_labels=None, added_cond_kwargs=None):
    """BasicTransformerBlock.forward (layer_norm variant) with spec §4 step 3 between cross-attn and FF."""
    kwargs = cross_attention_kwargs or {}
    norm = self.norm1(hidden_states)
    hidden_states = self.attn1(norm, attention_mask=attention_mask, **kwargs) + hidden_states
    norm = self.norm2(hidden_states)
    hidden_states = self.attn2(norm, encoder_hidden_states=encoder_hidden_states,
                               attention_mask=encoder_attention_mask, **kwargs) + hidden_states
    audio = getattr(self, "audio_context", None)
    if audio is not None:
        adapted = self.attn_adapter(self.norm_adapter(hidden_states), encoder_hidden_states=audio)
        hidden_states = hidden_states + torch.tanh(self.gate_adapter) * adapted
    hidden_states = self.ff(self.norm3(hidden_states)) + hidden_states
    return hidden_states


def adapter_blocks(unet):
    """(module path, BasicTransformerBlock) pairs of every block that carries an adapter."""
    return [(name, m) for name, m in unet.named_modules()
            if isinstance(m, BasicTransformerBlock) and hasattr(m, "attn_adapter")]


def add_gated_adapters(unet, audio_cross_attention_dim, adapter_heads, use_adapter, gate_init=0.0):
    """Registers attn_adapter / norm_adapter / gate_adapter on the selected [down, mid, up] blocks."""
    parts = {"down_blocks": use_adapter[0], "mid_block": use_adapter[1], "up_blocks": use_adapter[2]}
    for name, block in list(unet.named_modules()):
        if not isinstance(block, BasicTransformerBlock) or not parts[name.split(".")[0]]:
            continue
        dim = block.norm1.normalized_shape[0]
        block.attn_adapter = Attention(query_dim=dim, cross_attention_dim=audio_cross_attention_dim,
                                       heads=adapter_heads, dim_head=dim // adapter_heads, dropout=0.0,
                                       bias=False, upcast_attention=False)
        block.norm_adapter = nn.LayerNorm(dim)
        block.gate_adapter = nn.Parameter(torch.tensor([gate_init]))
        block.forward = gated_adapter_forward.__get__(block, BasicTransformerBlock)
    return unet


def set_audio_context(unet, audio):
    for _, block in adapter_blocks(unet):
        block.audio_context = audio


def perturb_(model, generator):
    """Default init leaves norms at 1/0 and some biases at 0; randomise them so every parameter matters."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator)
            if name.endswith("gate_adapter"):
                continue
            if "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * noise)
            elif name.endswith("bias"):
                p.copy_(0.1 * noise)


def build_tiny_unet(seed=0):
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(**TINY_UNET)
    add_gated_adapters(unet, TINY_ADAPTER["audio_cross_attention_dim"], TINY_ADAPTER["adapter_heads"],
                       TINY_ADAPTER["use_adapter"])
    perturb_(unet, torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        for i, (_, block) in enumerate(adapter_blocks(unet)):
            # Nonzero, distinct gates so the adapter path is exercised (training starts at 0).
            block.gate_adapter.fill_(0.3 * (-1) ** i + 0.05 * i)
    return unet.eval()


def build_tiny_vae(seed=0):
    torch.manual_seed(seed)
    vae = AutoencoderKL(**TINY_VAE)
    perturb_(vae, torch.Generator().manual_seed(seed + 1))
    return vae.eval()


def count_params(module):
    return sum(p.numel() for p in module.parameters())

