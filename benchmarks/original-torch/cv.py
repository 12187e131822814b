#!/usr/bin/python3
"""Side-by-side harness: the original ENN training procedure re-implemented in PyTorch from
the published hyper-parameters (../shared/docs/design.md, "Reference behaviour of the original
optimizer"), cross-validated on exactly the outer folds of benchmarks/twin-cv.ts.

A benchmark tool, not a run-time dependency (Debian: apt-get install -y python3-torch; run
with the system python, /usr/bin/python3). Written for this project; no code of the
original authors is in it.

    npx tsc -p . && node dist/benchmarks/twin-folds.js --seeds 0,1,2 > /tmp/folds.json
    nice -n 10 /usr/bin/python3 benchmarks/original-torch/cv.py --folds-file /tmp/folds.json \
        --chem chem1 --seeds 0,1,2 [--keep last|best] [--split shared|member] [--schedule original|crossfit]
        [--members 20] [--quick] [--out FILE]

Schedules:
  original  Adam 1e-3, batch 16, MSE summed over the two min-max scaled outputs, at most 3000
            epochs, early stopping on an 80/20 split with patience 100 and min delta 1e-4 (the
            patience counter grows only on epochs worse than best + min delta). --keep last (the
            default) reproduces the original's aliasing quirk: its "best" state is a reference to
            the live weights, so the last epoch's weights are what it keeps; --keep best takes a
            true copy.
  crossfit  sdfl's default (src/twin/enn/schedule.ts): 200 full-batch Adam steps at 5e-3, last
            weights, member k trains on all rows but fold k mod 10 (a check that sdfl's
            WebAssembly trainer and PyTorch agree on the same schedule).
Members: a cascade network (hidden layer l reads the inputs and every earlier hidden layer; the
output layer reads all of them), 8 to 10 hidden layers of 20 to 40 ReLU units, PyTorch's
default Linear initialisation; inputs scaled to the unit cube by the search-space bounds,
outputs (Abs300nm, PLA) min-max scaled on the training rows; the PLQY prediction is the mean
over members of each member's PLQY proxy.
Prints one line per fold and chemistry, writes JSON (default
benchmarks/results/original-torch-<schedule>-<keep>.json).
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
from torch import nn

BOUNDS = np.array([[120, 180], [80, 120], [80, 120], [20, 80], [220, 280]], dtype=float)
REF_PLQY, REF_ABS, REF_AREA = 0.1336, 0.9115, 198493.1521


def plqy(abs300, pla):
    return REF_PLQY * (pla / REF_AREA) * (1 - 10 ** -REF_ABS) / (1 - 10 ** -abs300)


class Cascade(nn.Module):
    def __init__(self, d, widths, n_out):
        super().__init__()
        self.hidden = nn.ModuleList()
        fan_in = d
        for w in widths:
            self.hidden.append(nn.Linear(fan_in, w))
            fan_in += w
        self.out = nn.Linear(fan_in, n_out)

    def forward(self, x):
        h = x
        for layer in self.hidden:
            h = torch.cat([h, torch.relu(layer(h))], dim=1)
        return self.out(h)


def summed_mse(pred, target):
    return ((pred - target) ** 2).mean(dim=0).sum()


def train_original(model, xt, yt, xv, yv, keep, gen):
    """Adam 1e-3, batch 16, patience 100 / min delta 1e-4, at most 3000 epochs."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    best, counter, best_state, epochs = math.inf, 0, None, 0
    n = xt.shape[0]
    for epoch in range(3000):
        perm = torch.randperm(n, generator=gen)
        for b in range(0, n, 16):
            idx = perm[b : b + 16]
            opt.zero_grad()
            summed_mse(model(xt[idx]), yt[idx]).backward()
            opt.step()
        epochs = epoch + 1
        with torch.no_grad():
            vl = summed_mse(model(xv), yv).item()
        if vl < best - 1e-4:
            best, counter = vl, 0
            # keep == "last": state_dict() holds references to the live tensors (the quirk).
            best_state = model.state_dict() if keep == "last" else {k: v.clone() for k, v in model.state_dict().items()}
        elif vl > best + 1e-4:
            counter += 1
        if counter >= 100:
            break
    model.load_state_dict(best_state)
    return epochs


def train_crossfit(model, xt, yt):
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    for _ in range(200):
        opt.zero_grad()
        summed_mse(model(xt), yt).backward()
        opt.step()
    return 200


def train_ensemble(X, A, P, args, seed):
    """X [n, 5] physical units, A, P [n]. Returns (predict(X) -> member abs, pla [M, m]), seconds, epochs."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    Z = torch.tensor((X - BOUNDS[:, 0]) / (BOUNDS[:, 1] - BOUNDS[:, 0]), dtype=torch.float32)
    lo = np.array([A.min(), P.min()])
    hi = np.array([A.max(), P.max()])
    Y = torch.tensor((np.stack([A, P], 1) - lo) / (hi - lo), dtype=torch.float32)
    shared = rng.permutation(n)
    fold_of = rng.permutation(n) % 10
    models, epochs = [], []
    for k in range(args.members):
        widths = [int(rng.integers(20, 41)) for _ in range(int(rng.integers(8, 11)))]
        torch.manual_seed(int(rng.integers(2**31)))
        gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
        model = Cascade(5, widths, 2)
        if args.schedule == "crossfit":
            tr = np.flatnonzero(fold_of != k % 10)
            epochs.append(train_crossfit(model, Z[tr], Y[tr]))
        else:
            order = shared if args.split == "shared" else rng.permutation(n)
            n_val = int(round(0.2 * n))
            va, tr = order[:n_val], order[n_val:]
            epochs.append(train_original(model, Z[tr], Y[tr], Z[va], Y[va], args.keep, gen))
        models.append(model)
    seconds = time.perf_counter() - t0

    def predict(Xq):
        zq = torch.tensor((Xq - BOUNDS[:, 0]) / (BOUNDS[:, 1] - BOUNDS[:, 0]), dtype=torch.float32)
        with torch.no_grad():
            out = np.stack([m(zq).numpy().astype(float) for m in models])  # [M, m, 2]
        return lo[0] + out[:, :, 0] * (hi[0] - lo[0]), lo[1] + out[:, :, 1] * (hi[1] - lo[1])

    return predict, seconds, epochs


def r2(y, p):
    return 1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds-file", required=True, help="JSON from node dist/benchmarks/twin-folds.js")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../data/sdfl-2025/lhs"))
    ap.add_argument("--chem", default="chem1,chem2,chem3")
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--members", type=int, default=20)
    ap.add_argument("--schedule", choices=["original", "crossfit"], default="original")
    ap.add_argument("--keep", choices=["last", "best"], default="last")
    ap.add_argument("--split", choices=["shared", "member"], default="shared")
    ap.add_argument("--quick", action="store_true", help="chem3, seed 0, 2 folds of the 6, 5 members")
    ap.add_argument("--out")
    args = ap.parse_args()
    torch.set_num_threads(1)
    folds_all = json.load(open(args.folds_file))
    chems = ["chem3"] if args.quick else args.chem.split(",")
    seeds = ["0"] if args.quick else args.seeds.split(",")
    if args.quick:
        args.members = 5
    runs = []
    for chem in chems:
        X = np.loadtxt(os.path.join(args.data, chem, "inputs.csv"), delimiter=",", skiprows=1)[:, :5]
        O = np.loadtxt(os.path.join(args.data, chem, "outputs.csv"), delimiter=",", skiprows=1)
        A, P = O[:, 0], O[:, 1]
        Q = plqy(A, P)
        for s in seeds:
            folds = folds_all["seeds"][s]
            if args.quick:
                folds = folds[:2]
            n = X.shape[0]
            mA, mP, mQ, sQ = (np.full(n, np.nan) for _ in range(4))
            secs, member_epochs = [], 0
            for f, held in enumerate(folds):
                held = np.array(held)
                train = np.setdiff1d(np.arange(n), held)
                predict, sec, ep = train_ensemble(X[train], A[train], P[train], args, int(s) * 7919 + 1000 * (f + 1))
                a, p = predict(X[held])
                q = plqy(a, p)
                mA[held], mP[held], mQ[held], sQ[held] = a.mean(0), p.mean(0), q.mean(0), q.std(0, ddof=1)
                secs.append(sec)
                member_epochs += sum(ep)
                print(f"{chem} seed {s} fold {f}: {sec:.1f} s, {sum(ep)} member-epochs, fold PLQY R^2 {r2(Q[held], q.mean(0)):.3f}", flush=True)
            ok = ~np.isnan(mQ)
            z = np.abs(Q[ok] - mQ[ok]) / sQ[ok]
            run = {
                "chemistry": chem,
                "seed": int(s),
                "abs_r2": r2(A[ok], mA[ok]),
                "pla_r2": r2(P[ok], mP[ok]),
                "plqy_r2": r2(Q[ok], mQ[ok]),
                "rawWithin1Std": float(np.mean(z <= 1)),
                "rawWithin2Std": float(np.mean(z <= 2)),
                "meanFoldSeconds": float(np.mean(secs)),
                "memberEpochs": int(member_epochs),
            }
            runs.append(run)
            print(
                f"{chem} {args.schedule}/{args.keep}/{args.split} seed {s}: OOF R^2 PLQY {run['plqy_r2']:.3f} "
                f"(Abs {run['abs_r2']:.3f}, PLA {run['pla_r2']:.3f}); raw within 1/2 std "
                f"{100 * run['rawWithin1Std']:.0f}/{100 * run['rawWithin2Std']:.0f} %; {run['meanFoldSeconds']:.1f} s per fold",
                flush=True,
            )
    result = {
        "benchmark": "original-torch",
        "quick": args.quick,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "torch": torch.__version__,
        "loadAverageAtStart": os.getloadavg()[0],
        "schedule": args.schedule,
        "keep": args.keep,
        "split": args.split,
        "members": args.members,
        "runs": runs,
    }
    out = args.out or os.path.join(
        "benchmarks/results", f"original-torch-{args.schedule}-{args.keep}-{args.split}{'.quick' if args.quick else ''}.json"
    )
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as fh:
        json.dump(result, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main()
