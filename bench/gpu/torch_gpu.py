"""PyTorch side of the GPU benchmark (bench/gpu/run.sh): the same plan entries as gpu-bench.ts on diffusers'
UNet2DConditionModel with the SonicDiffusion gated adapters (tools/reference/tiny_models.py), built by
bench/model/torch_bench.py's helpers, fp32 with TF32 off, on CUDA. Writes a JSON result file for report.ts.

    python bench/gpu/torch_gpu.py --plan bench/gpu/cases.json --mode gpu --out torch.json [--batch N] [--steps N]
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "model"))
from torch_bench import Sampler, Trainer, build_unet, make_inputs  # noqa: E402
from tiny_models import count_params  # noqa: E402


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def run_entry(plan, entry, device):
    cfg = plan["configs"][entry["config"]]
    unet = build_unet(plan, entry["config"]).to(device)
    inputs = {k: v.to(device) for k, v in make_inputs(plan, cfg).items()}
    if entry["op"] == "sample-ddim50-cfg":
        s = Sampler(plan, unet, inputs, device)
        warm = lambda i: s.guided_eps(inputs["latents"], torch.tensor(981, device=device))  # noqa: E731
        run = lambda i: s.sample()  # noqa: E731
        trainable = 0
    elif entry["op"] == "train-adapters":
        tr = Trainer(plan, unet, inputs, full=False, device=device)
        warm, run = (lambda i: tr.step(-1 - i)), tr.step
        trainable = sum(p.numel() for p in tr.params)
    else:
        sys.exit(f"bench/gpu: op {entry['op']} is not part of this benchmark")
    for i in range(entry["warmup"]):
        warm(i)
    sync(device)
    ms, check = [], float("nan")
    for i in range(entry["repeats"]):
        sync(device)
        t0 = time.perf_counter()
        check = run(i)
        sync(device)
        ms.append((time.perf_counter() - t0) * 1000)
        print(f"  torch {entry['op']} {entry['config']} #{i + 1}: {ms[-1]:.0f} ms", file=sys.stderr, flush=True)
    result = dict(op=entry["op"], config=entry["config"], params=count_params(unet), trainable=trainable, ms=ms,
                  medianMs=statistics.median(ms), check=check)
    del unet, inputs
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", default=os.path.join(HERE, "cases.json"))
    ap.add_argument("--mode", default="gpu")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--batch", type=int)
    ap.add_argument("--steps", type=int)
    ap.add_argument("--out")
    args = ap.parse_args()
    with open(args.plan) as f:
        plan = json.load(f)
    if args.mode not in plan["plans"]:
        sys.exit(f"{args.plan}: no plan '{args.mode}' (have {', '.join(plan['plans'])})")
    plan["batch"] = args.batch or plan["batch"]
    plan["ddimSteps"] = args.steps or plan["ddimSteps"]
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.exit("torch_gpu.py: CUDA is not available (use --device cpu to check the plumbing)")
    # fp32 as on the tfjs side: no TF32 tensor-core shortcuts.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    out = dict(runtime="torch", version=torch.__version__, device=name, tf32=False,
               results=[run_entry(plan, e, device) for e in plan["plans"][args.mode]])
    text = json.dumps(out, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
