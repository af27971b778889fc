"""Loads a saved toy-SD directory with diffusers and compares its outputs with the TypeScript ones.

Usage: /work/venv-ref/bin/python bench/toy-sd/diffusers_check.py <toy-sd dir> <io.safetensors>
"""
import sys
import torch
from safetensors.torch import load_file
from diffusers import AutoencoderKL, UNet2DConditionModel

model_dir, io_path = sys.argv[1], sys.argv[2]
io = load_file(io_path)
unet = UNet2DConditionModel.from_pretrained(f"{model_dir}/unet").eval()
vae = AutoencoderKL.from_pretrained(f"{model_dir}/vae").eval()
with torch.no_grad():
    eps = unet(io["sample"], torch.tensor([10, 700]), encoder_hidden_states=io["text"]).sample
    decoded = vae.decode(io["sample"]).sample
    mean = vae.encode(io["image"]).latent_dist.mean


def rel(a, b):
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-12))


print(f"scaling_factor {vae.config.scaling_factor}")
print(f"unet eps rel err {rel(io['eps'], eps):.2e}")
print(f"vae decode rel err {rel(io['decoded'], decoded):.2e}")
print(f"vae encode mean rel err {rel(io['mean'], mean):.2e}")
