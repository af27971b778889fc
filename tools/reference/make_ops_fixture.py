"""Reference outputs and gradients for src/compute/ops from PyTorch (and diffusers' timestep embedding).

Run: /work/venv-ref/bin/python tools/reference/make_ops_fixture.py
Writes test/fixtures/reference/ops/ops.safetensors. Tensors are stored in PyTorch layouts (NCHW / NCL,
torch weight layouts); the TS test converts them. Every case stores inputs, the cotangent r, the output
y and the gradients of sum(y * r).
"""
from pathlib import Path

import torch
import torch.nn.functional as F
from diffusers.models.embeddings import get_timestep_embedding
from safetensors.torch import save_file

torch.manual_seed(0)
out: dict[str, torch.Tensor] = {}


def leaf(*shape):
    return torch.randn(*shape, dtype=torch.float64).requires_grad_(True)


def record(name, y, inputs):
    r = torch.randn_like(y)
    grads = torch.autograd.grad((y * r).sum(), list(inputs.values()))
    out[f"{name}.r"] = r
    out[f"{name}.y"] = y.detach()
    for (key, value), g in zip(inputs.items(), grads):
        out[f"{name}.{key}"] = value.detach()
        out[f"{name}.grad.{key}"] = g


# conv1d: x [B, C, L], w [out, in, k]
for name, (b, cin, cout, length, k, stride, pad) in {
    "conv1d_a": (2, 3, 4, 9, 3, 2, 1),
    "conv1d_b": (1, 2, 3, 8, 5, 1, 2),
}.items():
    x, w, bias = leaf(b, cin, length), leaf(cout, cin, k), leaf(cout)
    record(name, F.conv1d(x, w, bias, stride=stride, padding=pad), {"x": x, "w": w, "b": bias})
    out[f"{name}.config"] = torch.tensor([stride, pad], dtype=torch.float64)

# conv_transpose1d: w [in, out, k]
for name, (b, cin, cout, length, k, stride, pad, opad) in {
    "convt1d_a": (2, 3, 2, 5, 4, 2, 1, 0),
    "convt1d_b": (1, 2, 3, 6, 3, 2, 1, 1),
    "convt1d_c": (1, 2, 2, 7, 5, 3, 2, 2),
    "convt1d_d": (2, 2, 3, 6, 2, 1, 2, 0),  # padding > k-1: the result is cropped
}.items():
    x, w, bias = leaf(b, cin, length), leaf(cin, cout, k), leaf(cout)
    y = F.conv_transpose1d(x, w, bias, stride=stride, padding=pad, output_padding=opad)
    record(name, y, {"x": x, "w": w, "b": bias})
    out[f"{name}.config"] = torch.tensor([stride, pad, opad], dtype=torch.float64)

# group norm: x NCHW
x, g, bt = leaf(2, 8, 3, 5), leaf(8), leaf(8)
record("groupnorm", F.group_norm(x, 4, g, bt, eps=1e-6), {"x": x, "gamma": g, "beta": bt})

# layer norm over the last axis, and jointly over the last two (the projector's LayerNorm([K, L]))
x, g, bt = leaf(2, 5, 6), leaf(6), leaf(6)
record("layernorm", F.layer_norm(x, (6,), g, bt, eps=1e-5), {"x": x, "gamma": g, "beta": bt})
x, g, bt = leaf(2, 4, 6), leaf(4, 6), leaf(4, 6)
record("layernorm2", F.layer_norm(x, (4, 6), g, bt, eps=1e-5), {"x": x, "gamma": g, "beta": bt})

# exact GELU and SiLU
x = leaf(64) * 3
x = x.detach().requires_grad_(True)
record("gelu", F.gelu(x), {"x": x})
record("silu", F.silu(x), {"x": x})

# attention [B, heads, N, d]
q, k, v = leaf(2, 2, 5, 4), leaf(2, 2, 7, 4), leaf(2, 2, 7, 4)
record("attention", F.scaled_dot_product_attention(q, k, v), {"q": q, "k": k, "v": v})

# linear on rank 3: w [out, in]
x, w, bias = leaf(2, 3, 5), leaf(4, 5), leaf(4)
record("linear", F.linear(x, w, bias), {"x": x, "w": w, "b": bias})

# nearest 2x upsampling, NCHW
x = leaf(2, 3, 2, 3)
record("upsample", F.interpolate(x, scale_factor=2.0, mode="nearest"), {"x": x})

# diffusers timestep embedding, computed in float32 as the UNet does
t = torch.tensor([0.0, 1.0, 10.0, 261.0, 999.0])
out["temb.t"] = t.double()
out["temb.sd"] = get_timestep_embedding(t, 320, flip_sin_to_cos=True, downscale_freq_shift=0).double()
out["temb.odd"] = get_timestep_embedding(t, 7, flip_sin_to_cos=False, downscale_freq_shift=1).double()

dest = Path(__file__).resolve().parents[2] / "test/fixtures/reference/ops/ops.safetensors"
dest.parent.mkdir(parents=True, exist_ok=True)
save_file({k: v.float().contiguous() for k, v in out.items()}, str(dest), metadata={"torch": torch.__version__})
print(f"wrote {len(out)} tensors to {dest}")
