"""PyTorch CPU side of the model benchmark (bench/model/run.sh): the same plan entries as model-bench.ts on
diffusers' UNet2DConditionModel with the SonicDiffusion gated adapters (tools/reference/tiny_models.py),
AdamW, fp32, torch.set_num_threads(--threads). Writes a JSON result file for report.ts.

    python bench/model/torch_bench.py --plan bench/model/cases.json --mode full --threads 1 --out r.json
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from diffusers import DDIMScheduler, DDPMScheduler, UNet2DConditionModel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "reference"))
from tiny_models import add_gated_adapters, count_params, set_audio_context  # noqa: E402

SD_SCHEDULE = dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear")


def build_unet(plan, name):
    cfg = plan["configs"][name]
    torch.manual_seed(plan["seed"])
    unet = UNet2DConditionModel(**cfg["unet"])
    a = cfg["adapter"]
    add_gated_adapters(unet, a["audio_cross_attention_dim"], a["adapter_heads"], tuple(a["use_adapter"]))
    return unet


def make_inputs(plan, cfg):
    unet_args, adapter_args = cfg["unet"], cfg["adapter"]
    g = torch.Generator().manual_seed(plan["seed"])
    b, s, c = plan["batch"], cfg["latentSize"], plan["latentChannels"]
    l, k = plan["textTokens"], plan["audioTokens"]
    return dict(
        latents=torch.randn(b, c, s, s, generator=g),
        text=torch.randn(b, l, unet_args["cross_attention_dim"], generator=g),
        null_text=torch.randn(1, l, unet_args["cross_attention_dim"], generator=g),
        audio=torch.randn(b, k, adapter_args["audio_cross_attention_dim"], generator=g),
        null_audio=torch.zeros(1, k, adapter_args["audio_cross_attention_dim"]),
    )


class Trainer:
    """The stage-2 ε step: noise at random timesteps, ε-MSE through the UNet with audio tokens, AdamW."""

    def __init__(self, plan, unet, inputs, full, device=None):
        self.unet, self.inputs, self.device = unet, inputs, device or torch.device("cpu")
        unet.train()
        unet.requires_grad_(full)
        if not full:
            for n, p in unet.named_parameters():
                if "adapter" in n:
                    p.requires_grad_(True)
        self.params = [p for p in unet.parameters() if p.requires_grad]
        o = plan["adamw"]
        self.opt = torch.optim.AdamW(self.params, lr=o["lr"], weight_decay=o["weightDecay"], betas=tuple(o["betas"]), eps=o["eps"])
        self.noise = DDPMScheduler(**SD_SCHEDULE)
        self.seed = plan["seed"]

    def step(self, i):
        x0 = self.inputs["latents"]
        g = torch.Generator(device=self.device).manual_seed(self.seed + 1000 + i)
        t = torch.randint(0, 1000, (x0.shape[0],), generator=g, device=self.device)
        eps = torch.randn(x0.shape, generator=g, device=self.device)
        noisy = self.noise.add_noise(x0, eps, t)
        set_audio_context(self.unet, self.inputs["audio"])
        pred = self.unet(noisy, t, encoder_hidden_states=self.inputs["text"]).sample
        loss = F.mse_loss(pred, eps)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()


class Sampler:
    """DDIM (SD-1.4 settings, η = 0) with classifier-free guidance on [uncond, cond] in one UNet call."""

    def __init__(self, plan, unet, inputs, device=None):
        self.unet, self.inputs, self.plan, self.device = unet.eval(), inputs, plan, device or torch.device("cpu")
        b = inputs["latents"].shape[0]
        self.text = torch.cat([inputs["null_text"].expand(b, -1, -1), inputs["text"]])
        self.audio = torch.cat([inputs["null_audio"].expand(b, -1, -1), inputs["audio"]])
        self.scheduler = DDIMScheduler(**SD_SCHEDULE, clip_sample=False, set_alpha_to_one=False, steps_offset=1,
                                       timestep_spacing="leading")

    @torch.no_grad()
    def guided_eps(self, x, t):
        set_audio_context(self.unet, self.audio)
        eps = self.unet(torch.cat([x, x]), t, encoder_hidden_states=self.text).sample
        eu, ec = eps.chunk(2)
        return eu + self.plan["guidanceScale"] * (ec - eu)

    @torch.no_grad()
    def sample(self):
        g = torch.Generator(device=self.device).manual_seed(self.plan["seed"] + 5)
        x = torch.randn(self.inputs["latents"].shape, generator=g, device=self.device)
        self.scheduler.set_timesteps(self.plan["ddimSteps"])
        for t in self.scheduler.timesteps:
            x = self.scheduler.step(self.guided_eps(x, t.to(self.device)), t, x).prev_sample
        return x.abs().mean().item()


def run_entry(plan, entry):
    cfg = plan["configs"][entry["config"]]
    unet = build_unet(plan, entry["config"])
    inputs = make_inputs(plan, cfg)
    if entry["op"] == "sample-ddim50-cfg":
        s = Sampler(plan, unet, inputs)
        warm = lambda: s.guided_eps(inputs["latents"], torch.tensor(981))  # noqa: E731
        run = lambda i: s.sample()  # noqa: E731
        trainable = 0
    else:
        tr = Trainer(plan, unet, inputs, full=entry["op"] == "train-full")
        warm = lambda: tr.step(-1)  # noqa: E731
        run = tr.step
        trainable = sum(p.numel() for p in tr.params)
    for _ in range(entry["warmup"]):
        warm()
    ms, cpu_ms, check = [], [], float("nan")
    for i in range(entry["repeats"]):
        c0, t0 = time.process_time(), time.perf_counter()
        check = run(i)
        ms.append((time.perf_counter() - t0) * 1000)
        cpu_ms.append((time.process_time() - c0) * 1000)
        print(f"  torch({torch.get_num_threads()}) {entry['op']} {entry['config']} #{i + 1}: {ms[-1]:.0f} ms (cpu {cpu_ms[-1]:.0f} ms)",
              file=sys.stderr, flush=True)
    return dict(op=entry["op"], config=entry["config"], params=count_params(unet), trainable=trainable, ms=ms,
                medianMs=statistics.median(ms), cpuMs=cpu_ms, medianCpuMs=statistics.median(cpu_ms), check=check)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", default=os.path.join(ROOT, "bench", "model", "cases.json"))
    ap.add_argument("--mode", default="full")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only")
    ap.add_argument("--out")
    args = ap.parse_args()
    with open(args.plan) as f:
        plan = json.load(f)
    if args.mode not in plan["plans"]:
        sys.exit(f"{args.plan}: no plan '{args.mode}' (have {', '.join(plan['plans'])})")
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    entries = [e for e in plan["plans"][args.mode] if not args.only or args.only in f"{e['op']}:{e['config']}"]
    out = dict(runtime="torch", version=torch.__version__, threads=torch.get_num_threads(),
               results=[run_entry(plan, e) for e in entries])
    text = json.dumps(out, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
