"""Reference values for src/metrics: FID as pytorch-fid computes it (scipy.linalg.sqrtm), and the
AIS/IIS win rates and AIC zero-shot accuracy as SonicDiffusion's evaluation.py computes them (torch).
Writes test/fixtures/reference/metrics/metrics.json. Random features, fixed seed."""
import json
import pathlib

import numpy as np
import torch
from scipy import linalg

OUT = pathlib.Path(__file__).resolve().parents[2] / "test/fixtures/reference/metrics"


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    # pytorch-fid's calculate_frechet_distance
    diff = mu1 - mu2
    covmean = linalg.sqrtm(sigma1.dot(sigma2))
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def win_rate(images, targets, refs):
    # evaluation.py: normalise, paired similarity vs. every reference, strict '>'
    images = torch.nn.functional.normalize(images, dim=-1)
    targets = torch.nn.functional.normalize(targets, dim=-1)
    refs = torch.nn.functional.normalize(refs, dim=-1)
    scores = []
    for i in range(images.shape[0]):
        s = (images[i] * targets[i]).sum()
        r = refs @ images[i]
        scores.append((s > r).float().mean().item())
    return float(np.mean(scores)), scores


def main():
    rng = np.random.default_rng(1234)
    OUT.mkdir(parents=True, exist_ok=True)
    fid_cases = []
    for n, d, shift in [(40, 8, 0.0), (60, 16, 0.7), (30, 24, 0.3)]:
        a = rng.normal(size=(n, d))
        b = rng.normal(size=(n + 5, d)) @ rng.normal(scale=0.5, size=(d, d)) + shift
        fid = frechet_distance(a.mean(0), np.cov(a, rowvar=False), b.mean(0), np.cov(b, rowvar=False))
        fid_cases.append({"a": a.tolist(), "b": b.tolist(), "fid": fid})

    torch.manual_seed(0)
    n, d, r = 20, 12, 15
    images = torch.randn(n, d)
    targets = images * 0.6 + torch.randn(n, d) * 0.8
    refs = torch.randn(r, d)
    ais, per_image = win_rate(images, targets, refs)

    classes = torch.randn(5, d)
    labels = torch.randint(0, 5, (n,))
    gen = classes[labels] * 0.7 + torch.randn(n, d) * 0.9
    gen_n = torch.nn.functional.normalize(gen, dim=-1)
    txt_n = torch.nn.functional.normalize(classes, dim=-1)
    preds = (gen_n @ txt_n.T).argmax(dim=-1)
    aic = float((preds == labels).float().mean())

    fixture = {
        "fid": fid_cases,
        "winRate": {"images": images.tolist(), "targets": targets.tolist(), "refs": refs.tolist(), "score": ais, "perImage": per_image},
        "aic": {"images": gen.tolist(), "labels": labels.tolist(), "classTexts": classes.tolist(), "accuracy": aic, "predictions": preds.tolist()},
    }
    (OUT / "metrics.json").write_text(json.dumps(fixture))
    print("wrote", OUT / "metrics.json")


if __name__ == "__main__":
    main()
