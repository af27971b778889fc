"""Reference fixtures for the method code in src/sonic/ (projector, schedulers, guidance, losses).

Run with the reference venv:  /work/venv-ref/bin/python tools/reference/make_method_fixtures.py
Writes test/fixtures/reference/method/*.safetensors (float32). Image-like tensors are stored NHWC (the TS
layout); weights keep their PyTorch layout and key names, so the tests exercise the generic converter.

The AudioProjector below is re-implemented from the spec (reference/sonicdiffusion-spec.md §3), at reduced
widths: input dim 32, K = 6 tokens, kernel 17, 2 heads of 4, four blocks. The official quirk (blocks not
chained, only the last survives) is `chained=False`.
"""
from __future__ import annotations

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from diffusers import DDIMScheduler, DDPMScheduler
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference", "method")
torch.manual_seed(0)


# ----------------------------------------------------------------------------------------------------------
# Audio projector (official `Adapter` architecture, parameter names as in the released checkpoints)
class SelfAttentionNoOut(nn.Module):
    def __init__(self, dim: int, heads: int, dim_head: int):
        super().__init__()
        inner = heads * dim_head
        self.heads, self.scale = heads, dim_head ** -0.5
        self.to_q_adapter = nn.Linear(dim, inner, bias=False)
        self.to_k_adapter = nn.Linear(dim, inner, bias=False)
        self.to_v_adapter = nn.Linear(dim, inner, bias=False)

    def forward(self, x):
        b, n, _ = x.shape
        h = self.heads

        def split(t):
            return t.reshape(b, n, h, -1).permute(0, 2, 1, 3)

        q, k, v = split(self.to_q_adapter(x)), split(self.to_k_adapter(x)), split(self.to_v_adapter(x))
        attn = (q @ k.transpose(-1, -2) * self.scale).softmax(dim=-1)
        return (attn @ v).permute(0, 2, 1, 3).reshape(b, n, -1)


class Projector(nn.Module):
    def __init__(self, input_dim=32, tokens=6, kernel=17, heads=2, dim_head=4, blocks=4, chained=False):
        super().__init__()
        k, K = kernel, tokens
        p_same, p_resample = (k - 1) // 2, (k - 3) // 2
        l1 = input_dim
        l2 = (l1 - 1) * 3 - 2 * p_resample + k
        l3 = (l2 + 2 * p_resample - k) // 4 + 1
        self.token_dim = l3
        self.chained = chained
        self.audio_emb_projection = nn.Sequential(
            nn.Conv1d(1, K, k, 1, p_same), nn.GELU(),
            nn.Conv1d(K, K, k, 1, p_same), nn.GELU(),
            nn.LayerNorm([K, l1]),
            nn.Conv1d(K, K, k, 1, p_same), nn.GELU(),
            nn.LayerNorm([K, l1]),
            nn.ConvTranspose1d(K, K, k, 3, p_resample), nn.GELU(),
            nn.LayerNorm([K, l2]), nn.GELU(),
            nn.Conv1d(K, K, k, 4, p_resample),
            nn.Dropout(0.0),
        )
        inner = heads * dim_head
        self.cross_attention = nn.ModuleList([SelfAttentionNoOut(l3, heads, dim_head) for _ in range(blocks)])
        self.between_attention = nn.ModuleList([
            nn.Sequential(nn.Linear(inner, inner), nn.GELU(), nn.Linear(inner, l3), nn.Dropout(0.0))
            for _ in range(blocks)
        ])
        self.to_out_adapter = nn.Sequential(nn.Linear(l3, l3), nn.Dropout(0.0))

    def forward(self, x):
        p = self.audio_emb_projection(x)
        out = p
        for attn, between in zip(self.cross_attention, self.between_attention):
            src = out if self.chained else p
            out = between(attn(src)) + src
        return self.to_out_adapter(out)


def randomise_norms(m: nn.Module):
    # LayerNorm affine defaults (1, 0) would not test the layout of the [K, L] affine parameters.
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.LayerNorm):
                mod.weight.copy_(1 + 0.2 * torch.randn_like(mod.weight))
                mod.bias.copy_(0.1 * torch.randn_like(mod.bias))


def pool(tokens, mode):
    return tokens.mean(dim=-2) if mode == "mean" else tokens.flatten(-2)


def info_nce(anchor, positive, negatives, temperature, mode):
    """anchor/positive [B,K,W], negatives [B,N,K,W] -> mean over B of -log softmax([s(a,p), s(a,n_k)]/τ)[0]."""
    a = F.normalize(pool(anchor, mode), dim=-1)
    p = F.normalize(pool(positive, mode), dim=-1)
    n = F.normalize(pool(negatives, mode), dim=-1)
    pos = (a * p).sum(-1, keepdim=True)
    neg = torch.einsum("bw,bnw->bn", a, n)
    logits = torch.cat([pos, neg], dim=1) / temperature
    return -(logits.log_softmax(dim=1)[:, 0]).mean()


def projector_fixtures():
    torch.manual_seed(1)
    proj = Projector()
    randomise_norms(proj)
    proj.eval()
    x = torch.randn(3, 1, 32)
    out = {f"param.{k}": v.detach().clone() for k, v in proj.state_dict().items()}
    out["input"] = x
    with torch.no_grad():
        proj.chained = False
        out["output.unchained"] = proj(x)
        out["null.unchained"] = proj(torch.zeros(1, 1, 32))
        proj.chained = True
        out["output.chained"] = proj(x)
    save_file({k: v.float().contiguous() for k, v in out.items()}, os.path.join(OUT, "projector.safetensors"))
    return proj


def stage1_fixtures(proj: Projector):
    torch.manual_seed(2)
    B, N, K, W = 2, 3, 6, proj.token_dim
    anchors, positives = torch.randn(B, 1, 32), torch.randn(B, 1, 32)
    negatives = torch.randn(B, N, 1, 32)
    captions = torch.randn(B, K, W)
    temperature, lam_c, lam_mse = 0.1, 0.1, 0.02
    out = {"anchors": anchors, "positives": positives, "negatives": negatives, "captions": captions,
           "hyper": torch.tensor([temperature, lam_c, lam_mse])}
    for chained in (False, True):
        tag = "chained" if chained else "unchained"
        proj.chained = chained
        proj.zero_grad()
        a = proj(anchors)
        p = proj(positives)
        n = proj(negatives.reshape(B * N, 1, 32)).reshape(B, N, K, W)
        l_mean = info_nce(a, p, n, temperature, "mean")
        l_flat = info_nce(a, p, n, temperature, "flatten")
        mse = F.mse_loss(a, captions)
        total = lam_c * l_mean + lam_mse * mse
        total.backward()
        out[f"{tag}.infonce.mean"] = l_mean.detach().reshape(1)
        out[f"{tag}.infonce.flatten"] = l_flat.detach().reshape(1)
        out[f"{tag}.mse"] = mse.detach().reshape(1)
        out[f"{tag}.total"] = total.detach().reshape(1)
        for name, prm in proj.named_parameters():
            g = prm.grad if prm.grad is not None else torch.zeros_like(prm)
            out[f"{tag}.grad.{name}"] = g.detach().clone()
    save_file({k: v.float().contiguous() for k, v in out.items()}, os.path.join(OUT, "stage1.safetensors"))


# ----------------------------------------------------------------------------------------------------------
# Schedulers
def ddim():
    return DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                         set_alpha_to_one=False, steps_offset=1)


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def scheduler_fixtures():
    torch.manual_seed(3)
    s = ddim()
    out = {"alphas_cumprod": s.alphas_cumprod.clone()}
    s.set_timesteps(50)
    out["timesteps.50"] = s.timesteps.float()
    s10 = ddim()
    s10.set_timesteps(10)
    out["timesteps.10"] = s10.timesteps.float()
    sample, eps = torch.randn(2, 4, 5, 6), torch.randn(2, 4, 5, 6)
    t = int(s.timesteps[10])
    r = s.step(eps, t, sample, eta=0.0)
    out.update({"step.sample": nhwc(sample), "step.eps": nhwc(eps), "step.t": torch.tensor([float(t)]),
                "step.prev": nhwc(r.prev_sample), "step.x0": nhwc(r.pred_original_sample)})
    last = s.step(eps, 1, sample, eta=0.0)  # prev t < 0 -> final_alpha_cumprod = ᾱ_0
    out["step_last.prev"] = nhwc(last.prev_sample)
    ddpm = DDPMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear")
    x0, noise = torch.randn(3, 4, 5, 6), torch.randn(3, 4, 5, 6)
    ts = torch.tensor([0, 500, 999])
    out.update({"noise.x0": nhwc(x0), "noise.eps": nhwc(noise), "noise.t": ts.float(),
                "noise.noisy": nhwc(ddpm.add_noise(x0, noise, ts))})
    save_file({k: v.float().contiguous() for k, v in out.items()}, os.path.join(OUT, "schedulers.safetensors"))


def custom_ddim():
    # A scheduler config unlike SD's: every setting the TypeScript DDIM reads from scheduler_config.json differs.
    return DDIMScheduler(num_train_timesteps=500, beta_start=0.001, beta_end=0.02, beta_schedule="scaled_linear",
                         clip_sample=True, clip_sample_range=0.5, set_alpha_to_one=True, steps_offset=0)


def scheduler_config_fixtures():
    """DDIM from a non-SD scheduler_config.json (stored as the `scheduler_config` metadata, as diffusers saves it)."""
    torch.manual_seed(4)
    s = custom_ddim()
    s.set_timesteps(10)
    out = {"alphas_cumprod": s.alphas_cumprod.clone(), "timesteps.10": s.timesteps.float()}
    sample, eps = 2 * torch.randn(2, 4, 5, 6), torch.randn(2, 4, 5, 6)  # |x0| often > 0.5: clipping matters
    t = int(s.timesteps[3])
    r = s.step(eps, t, sample, eta=0.0)
    last = s.step(eps, int(s.timesteps[-1]), sample, eta=0.0)  # t = 0 -> prev < 0 -> final ᾱ = 1 (set_alpha_to_one)
    out.update({"step.sample": nhwc(sample), "step.eps": nhwc(eps), "step.t": torch.tensor([float(t)]),
                "step.prev": nhwc(r.prev_sample), "step.x0": nhwc(r.pred_original_sample),
                "step_last.t": torch.tensor([float(s.timesteps[-1])]), "step_last.prev": nhwc(last.prev_sample)})
    config = {k: v for k, v in dict(s.config).items() if not k.startswith("_")}
    config["_class_name"] = "DDIMScheduler"
    save_file({k: v.float().contiguous() for k, v in out.items()}, os.path.join(OUT, "scheduler-config.safetensors"),
              metadata={"scheduler_config": json.dumps(config, sort_keys=True)})


# ----------------------------------------------------------------------------------------------------------
# A small deterministic noise predictor, mirrored by test/sonic/toy-noise-predictor.ts:
#   eps = tanh(conv3x3(x) + b + 0.001·t + mean_L(text)·Wt + mean_K(audio)·Wa)
class ToyPredictor(nn.Module):
    def __init__(self, channels=4, text_dim=5, audio_dim=7):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.text_proj = nn.Linear(text_dim, channels, bias=False)
        self.audio_proj = nn.Linear(audio_dim, channels, bias=False)

    def forward(self, x, t, text, audio=None):
        t = torch.as_tensor(t, dtype=torch.float32).reshape(-1)
        h = self.conv(x) + 0.001 * t.reshape(-1, 1, 1, 1)
        h = h + self.text_proj(text.mean(dim=1))[:, :, None, None]
        if audio is not None:
            h = h + self.audio_proj(audio.mean(dim=1))[:, :, None, None]
        return torch.tanh(h)


def guidance_fixtures():
    torch.manual_seed(4)
    net = ToyPredictor()
    out = {f"toy.{k}": v.detach().clone() for k, v in net.state_dict().items()}
    # DDIM inversion, 5 steps, text "" (random stand-in tokens), no audio.
    z0 = torch.randn(1, 4, 6, 6)
    null_text = torch.randn(1, 3, 5)
    s = ddim()
    s.set_timesteps(5)
    ts = list(reversed(s.timesteps.tolist()))
    z = z0.clone()
    with torch.no_grad():
        for i, t in enumerate(ts):
            a_t = s.alphas_cumprod[t]
            a_prev = s.alphas_cumprod[ts[i - 1]] if i > 0 else s.final_alpha_cumprod
            eps = net(z, t, null_text)
            x0 = (z - (1 - a_prev) ** 0.5 * eps) / a_prev ** 0.5
            z = a_t ** 0.5 * x0 + (1 - a_t) ** 0.5 * eps
            out[f"invert.z.{t}"] = nhwc(z)
    out.update({"invert.z0": nhwc(z0), "invert.text": null_text, "invert.timesteps": torch.tensor(ts).float()})

    # Classifier-free guidance over joint text+audio: one predictor call on [uncond, cond].
    text, audio = torch.randn(1, 3, 5), torch.randn(1, 2, 7)
    null_audio = torch.randn(1, 2, 7)
    latents = torch.randn(1, 4, 6, 6)
    scale = 8.0
    s = ddim()
    s.set_timesteps(4)
    x = latents.clone()
    with torch.no_grad():
        for i, t in enumerate(s.timesteps.tolist()):
            both = net(torch.cat([x, x]), t, torch.cat([null_text, text]), torch.cat([null_audio, audio]))
            eu, ec = both.chunk(2)
            guided = eu + scale * (ec - eu)
            if i == 0:
                out["cfg.first_eps"] = nhwc(guided)
            x = s.step(guided, t, x, eta=0.0).prev_sample
    out.update({"cfg.latents": nhwc(latents), "cfg.text": text, "cfg.null_text": null_text.clone(), "cfg.audio": audio,
                "cfg.null_audio": null_audio, "cfg.scale": torch.tensor([scale]), "cfg.result": nhwc(x)})
    save_file({k: v.float().contiguous() for k, v in out.items()}, os.path.join(OUT, "guidance.safetensors"))


def adamw_fixtures():
    # torch.optim.AdamW (decoupled weight decay) over three steps with given gradients.
    torch.manual_seed(5)
    p = torch.nn.Parameter(torch.randn(7))
    out = {"p0": p.detach().clone()}
    opt = torch.optim.AdamW([p], lr=1e-2, weight_decay=1e-2)
    for i in range(3):
        g = torch.randn(7) * (10.0 ** -i)
        out[f"grad{i}"] = g
        p.grad = g.clone()
        opt.step()
        out[f"p{i + 1}"] = p.detach().clone()
    save_file({k: v.float().contiguous() for k, v in out.items()}, os.path.join(OUT, "adamw.safetensors"))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    p = projector_fixtures()
    stage1_fixtures(p)
    scheduler_fixtures()
    guidance_fixtures()
    adamw_fixtures()
    scheduler_config_fixtures()
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {sorted(os.listdir(OUT))} ({total} bytes) to {os.path.normpath(OUT)}")
