#!/usr/bin/env python3
"""Reference trajectories from PyTorch's torch.optim, in float64.

This is how the literal numbers in crates/nnlab/tests/optim_vs_torch.rs were
produced. It runs every nnlab optimiser's PyTorch counterpart on four of
nnlab's surfaces from fixed starts, with the gradient from torch.autograd,
and prints a Rust table of the points after a few chosen steps, each to
full f64 precision (the shortest decimal that reads back as the same double).

    python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch
    /tmp/torchenv/bin/python tools/torch_reference.py > /tmp/table.rs

(Produced with torch 2.15.0, CPU.) The counterparts are the PyTorch defaults
the nnlab optimisers follow (no weight decay, dampening 0, maximize False):

    sgd       torch.optim.SGD(lr)
    momentum  torch.optim.SGD(lr, momentum=0.9)
    nesterov  torch.optim.SGD(lr, momentum=0.9, nesterov=True)
              (nnlab's lecture form v ← μv − lr·g; w ← w + μv − lr·g is the
              same algorithm written with v = −lr·b, so the two agree while
              lr is constant — this checks that claim)
    adagrad   torch.optim.Adagrad(lr)            eps 1e-10
    rmsprop   torch.optim.RMSprop(lr)            alpha 0.99, eps 1e-8
    adam      torch.optim.Adam(lr)               betas (0.9, 0.999), eps 1e-8

foreach=False selects PyTorch's plain per-tensor loop (the default on CPU
anyway); it is the code whose order of operations nnlab copies.
"""

import torch

torch.set_default_dtype(torch.float64)

# The surfaces, written exactly as in crates/nnlab/src/surfaces/*.rs.
SURFACES = {
    "rosenbrock": (lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2, [-1.5, 2.0]),
    "beale": (
        lambda x, y: (1.5 - x + x * y) ** 2
        + (2.25 - x + x * y**2) ** 2
        + (2.625 - x + x * y**3) ** 2,
        [1.0, 1.5],
    ),
    "himmelblau": (lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, [0.0, 0.0]),
    "ill-conditioned": (lambda x, y: 0.5 * (x**2 + 50 * y**2), [-8.0, 2.0]),
}

# Learning rates: plain SGD uses each surface's default_lr; the momentum
# methods the same except on Beale, where momentum at 0.01 is thrown out of the
# valley (a NaN within 50 steps); one rate per adaptive method. All chosen so
# that 50 steps travel a good way without diverging.
SGD_LR = {"rosenbrock": 0.001, "beale": 0.01, "himmelblau": 0.01, "ill-conditioned": 0.035}
MOMENTUM_LR = {**SGD_LR, "beale": 0.002}
ADAPTIVE_LR = {"adagrad": 0.1, "rmsprop": 0.01, "adam": 0.05}

STEPS = 50
RECORDED = [1, 2, 10, 50]

# Second table: changing the learning rate between steps (nnlab's set_hyper,
# PyTorch's param_groups[0]["lr"] = ...). On Himmelblau from (0, 0), the rate
# drops to a quarter after step LR_CHANGE_AT; the optimiser state is kept.
# nnlab's lecture-form Nesterov is expected to part from PyTorch here (its
# velocity already carries the old rate), so it is printed too.
LR_CHANGE_SURFACE = "himmelblau"
LR_CHANGE_AT = 20
LR_CHANGE_LR = {"sgd": 0.01, "momentum": 0.005, "nesterov": 0.005, **ADAPTIVE_LR}
LR_CHANGE_RECORDED = [20, 21, 50]


def make(kind, params, lr):
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, foreach=False)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, foreach=False)
    if kind == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, foreach=False)
    if kind == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, foreach=False)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, foreach=False)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, foreach=False)
    raise ValueError(kind)


def lr_for(surface, kind):
    if kind in ADAPTIVE_LR:
        return ADAPTIVE_LR[kind]
    if kind in ("momentum", "nesterov"):
        return MOMENTUM_LR[surface]
    return SGD_LR[surface]


def run(surface, kind, lr, recorded_steps, change_at=None):
    """Steps 1..=max(recorded_steps); after step change_at the rate becomes lr/4."""
    f, start = SURFACES[surface]
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make(kind, [p], lr)
    recorded = []
    for step in range(1, max(recorded_steps) + 1):
        opt.zero_grad()
        loss = f(p[0], p[1])
        loss.backward()
        opt.step()
        if step in recorded_steps:
            recorded.append((step, p.detach().tolist()))
        if step == change_at:
            opt.param_groups[0]["lr"] = lr / 4
    return start, recorded


def fmt(x):
    """x as a Rust f64 literal that reads back as exactly the same double.

    repr() gives the shortest such decimal (at most 17 significant digits);
    printing all 17 would add noise digits that clippy rejects as
    excessive precision without changing the value.
    """
    s = repr(float(x))
    return s if any(c in s for c in ".e") else s + ".0"


KINDS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


def print_case(surface, kind, lr, start, recorded):
    print("    Case {")
    print(f'        surface: "{surface}",')
    print(f'        optimizer: "{kind}",')
    print(f"        lr: {fmt(lr)},")
    print(f"        start: [{fmt(start[0])}, {fmt(start[1])}],")
    print("        points: &[")
    for step, (x, y) in recorded:
        print(f"            ({step}, [{fmt(x)}, {fmt(y)}]),")
    print("        ],")
    print("    },")


def main():
    print(f"// Generated by tools/torch_reference.py with torch {torch.__version__} (float64).")
    print("const TORCH: &[Case] = &[")
    for surface in SURFACES:
        for kind in KINDS:
            lr = lr_for(surface, kind)
            start, recorded = run(surface, kind, lr, RECORDED)
            print_case(surface, kind, lr, start, recorded)
    print("];")
    print()
    print(f"// The learning rate drops to lr/4 after step {LR_CHANGE_AT}.")
    print("const TORCH_LR_CHANGE: &[Case] = &[")
    for kind in KINDS:
        lr = LR_CHANGE_LR[kind]
        start, recorded = run(LR_CHANGE_SURFACE, kind, lr, LR_CHANGE_RECORDED, LR_CHANGE_AT)
        print_case(LR_CHANGE_SURFACE, kind, lr, start, recorded)
    print("];")


if __name__ == "__main__":
    main()
