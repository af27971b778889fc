"""A tiny torch model's state dict (every TorchLayout kind) and one forward pass, for the ParamStore tests.

Run: /work/venv-ref/bin/python tools/reference/make_param_store_fixture.py
Writes test/fixtures/reference/param-store/{tiny.safetensors (state dict, keys prefixed 'model.'), io.safetensors (x, y)}.
"""
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.gn = torch.nn.GroupNorm(2, 4)
        self.lin = torch.nn.Linear(4, 5)
        self.conv1 = torch.nn.Conv1d(5, 3, 3, padding=1)
        self.convt = torch.nn.ConvTranspose1d(3, 2, 4, stride=2, padding=1)

    def forward(self, x):  # x [B, 3, H, W]
        h = F.silu(self.gn(self.conv(x)))  # [B, 4, H, W]
        h = h.mean(dim=2).transpose(1, 2)  # [B, W, 4]
        h = self.lin(h).transpose(1, 2)  # [B, 5, W]
        h = self.conv1(h)  # [B, 3, W]
        return self.convt(h)  # [B, 2, 2W]


torch.manual_seed(3)
model = Tiny()
with torch.no_grad():
    for p in model.parameters():  # GroupNorm starts at 1/0; make every tensor distinctive
        p.add_(torch.randn_like(p) * 0.1)
x = torch.randn(2, 3, 4, 5)
y = model(x).detach()
dest = Path(__file__).resolve().parents[2] / "test/fixtures/reference/param-store"
dest.mkdir(parents=True, exist_ok=True)
save_file({f"model.{k}": v.contiguous() for k, v in model.state_dict().items()}, str(dest / "tiny.safetensors"), metadata={"format": "pt"})
save_file({"x": x, "y": y}, str(dest / "io.safetensors"))
print("ok", list(model.state_dict().keys()))
