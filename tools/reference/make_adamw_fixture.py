"""torch.optim.AdamW reference: 3 steps on 2 small float32 params in two param groups.

Run: /work/venv-ref/bin/python tools/reference/make_adamw_fixture.py
Writes test/fixtures/reference/adamw/adamw.safetensors with, for p in {p0, p1}:
  {p}.init, {p}.grad.{t}, {p}.after.{t} (t = 1..3), {p}.exp_avg, {p}.exp_avg_sq (after step 3)
and the group hyper-parameters in the metadata.
"""
import json
from pathlib import Path

import torch
from safetensors.torch import save_file

torch.manual_seed(1)
p0 = torch.nn.Parameter(torch.randn(3, 4))
p1 = torch.nn.Parameter(torch.randn(5))
groups = [
    {"params": [p0], "lr": 1e-3, "weight_decay": 1e-2},
    {"params": [p1], "lr": 5e-2, "weight_decay": 0.1},
]
opt = torch.optim.AdamW(groups, betas=(0.9, 0.999), eps=1e-8)
out = {"p0.init": p0.detach().clone(), "p1.init": p1.detach().clone()}
for t in range(1, 4):
    for name, p in (("p0", p0), ("p1", p1)):
        g = torch.randn_like(p) * (0.5 if name == "p0" else 2.0)
        p.grad = g
        out[f"{name}.grad.{t}"] = g.clone()
    opt.step()
    for name, p in (("p0", p0), ("p1", p1)):
        out[f"{name}.after.{t}"] = p.detach().clone()
for name, p in (("p0", p0), ("p1", p1)):
    out[f"{name}.exp_avg"] = opt.state[p]["exp_avg"].clone()
    out[f"{name}.exp_avg_sq"] = opt.state[p]["exp_avg_sq"].clone()

meta = {"groups": json.dumps([{"lr": g["lr"], "weight_decay": g["weight_decay"]} for g in groups]), "torch": torch.__version__}
dest = Path(__file__).resolve().parents[2] / "test/fixtures/reference/adamw/adamw.safetensors"
dest.parent.mkdir(parents=True, exist_ok=True)
save_file({k: v.contiguous() for k, v in out.items()}, str(dest), metadata=meta)
print(f"wrote {len(out)} tensors to {dest}")
