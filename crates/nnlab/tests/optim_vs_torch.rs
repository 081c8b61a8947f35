//! nnlab's optimisers against PyTorch's `torch.optim` in float64.
//!
//! The table below was printed by `tools/torch_reference.py` (torch 2.15.0,
//! CPU, float64, gradients by torch.autograd) and pasted here unchanged. Each
//! case runs one optimiser from a fixed start on one surface and records the
//! point after steps 1, 2, 10 and 50; nnlab must agree to 1e-9 relative.
//! The Nesterov rows come from `SGD(momentum=0.9, nesterov=True)`, so they
//! also check that the lecture's form is PyTorch's Nesterov in disguise.
//! A second table changes the learning rate mid-run (`set_hyper` against
//! PyTorch's `param_groups[0]["lr"]`), where the two Nesterov forms part.

use nnlab::optim::{build, Hyper, OptimizerKind};
use nnlab::surfaces::by_name;

struct Case {
    surface: &'static str,
    optimizer: &'static str,
    lr: f64,
    start: [f64; 2],
    points: &'static [(usize, [f64; 2])],
}

/// |actual − expected| ≤ 1e-9·|expected| (purely relative; no recorded
/// coordinate is exactly 0).
fn agrees(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= 1e-9 * expected.abs()
}

#[test]
fn trajectories_agree_with_torch_optim() {
    let mut checked = 0;
    let mut worst: f64 = 0.0;
    for case in TORCH {
        let surface = by_name(case.surface).unwrap();
        let kind = OptimizerKind::from_name(case.optimizer).unwrap();
        let hyper = Hyper {
            lr: case.lr,
            ..Hyper::defaults(kind)
        };
        let mut opt = build::<f64>(kind, hyper).unwrap();
        let mut p = case.start.to_vec();
        let mut step = 0;
        for &(at, expected) in case.points {
            while step < at {
                let (_, g) = surface.value_and_grad(&p);
                opt.update(0, &mut p, &g);
                step += 1;
            }
            for (a, e) in p.iter().zip(expected) {
                assert!(
                    agrees(*a, e),
                    "{} on {}, step {at}: nnlab {p:?}, torch {expected:?}",
                    case.optimizer,
                    case.surface
                );
                worst = worst.max((a - e).abs() / e.abs());
                checked += 1;
            }
        }
    }
    // 4 surfaces × 6 optimisers × 4 recorded steps × 2 coordinates.
    assert_eq!(checked, 4 * 6 * 4 * 2);
    println!("worst relative difference from torch: {worst:e}");
}

/// After `LR_CHANGE_AT` steps the learning rate drops to a quarter (set_hyper,
/// state kept), as `tools/torch_reference.py` does with
/// `optimizer.param_groups[0]["lr"] = lr / 4`.
const LR_CHANGE_AT: usize = 20;

/// Runs `case` and returns nnlab's point at each recorded step.
fn run_with_lr_change(case: &Case) -> Vec<(usize, Vec<f64>)> {
    let surface = by_name(case.surface).unwrap();
    let kind = OptimizerKind::from_name(case.optimizer).unwrap();
    let mut opt = build::<f64>(
        kind,
        Hyper {
            lr: case.lr,
            ..Hyper::defaults(kind)
        },
    )
    .unwrap();
    let mut p = case.start.to_vec();
    let mut out = Vec::new();
    let last = case.points.last().unwrap().0;
    for step in 1..=last {
        let (_, g) = surface.value_and_grad(&p);
        opt.update(0, &mut p, &g);
        if case.points.iter().any(|&(at, _)| at == step) {
            out.push((step, p.clone()));
        }
        if step == LR_CHANGE_AT {
            let lr = opt.hyper().lr / 4.0;
            opt.set_hyper(Hyper { lr, ..opt.hyper() }).unwrap();
        }
    }
    out
}

#[test]
fn changing_lr_between_steps_agrees_with_torch() {
    for case in TORCH_LR_CHANGE {
        if case.optimizer == "nesterov" {
            continue;
        }
        let ours = run_with_lr_change(case);
        assert_eq!(ours.len(), case.points.len());
        for ((at, p), &(step, expected)) in ours.iter().zip(case.points) {
            assert_eq!(*at, step);
            for (a, e) in p.iter().zip(expected) {
                assert!(
                    agrees(*a, e),
                    "{} step {step}: nnlab {p:?}, torch {expected:?}",
                    case.optimizer
                );
            }
        }
    }
}

#[test]
fn lecture_nesterov_parts_from_torch_when_lr_changes() {
    // As documented in optim/nesterov.rs: the lecture's velocity carries the
    // learning rate it was made with, PyTorch's buffer does not. Same path up
    // to the change, different afterwards.
    let case = TORCH_LR_CHANGE
        .iter()
        .find(|c| c.optimizer == "nesterov")
        .unwrap();
    let ours = run_with_lr_change(case);
    let before = (&ours[0].1, case.points[0].1);
    assert_eq!(ours[0].0, LR_CHANGE_AT);
    assert!(before.0.iter().zip(before.1).all(|(a, e)| agrees(*a, e)));
    let after = (&ours[1].1, case.points[1].1);
    assert_eq!(ours[1].0, LR_CHANGE_AT + 1);
    assert!(after
        .0
        .iter()
        .zip(after.1)
        .any(|(a, e)| (a - e).abs() > 1e-6 * e.abs()));
}

#[test]
fn the_table_covers_every_optimizer_on_every_surface() {
    for surface in ["rosenbrock", "beale", "himmelblau", "ill-conditioned"] {
        for kind in OptimizerKind::ALL {
            let n = TORCH
                .iter()
                .filter(|c| c.surface == surface && c.optimizer == kind.name())
                .count();
            assert_eq!(n, 1, "{} on {surface}", kind.name());
        }
    }
}

// Generated by tools/torch_reference.py with torch 2.15.0+cu132 (float64).
const TORCH: &[Case] = &[
    Case {
        surface: "rosenbrock",
        optimizer: "sgd",
        lr: 0.001,
        start: [-1.5, 2.0],
        points: &[
            (1, [-1.345, 2.05]),
            (2, [-1.46995455, 2.001805]),
            (10, [-1.4222144758375517, 2.0014166383474885]),
            (50, [-1.3914493091648623, 1.9437403903399648]),
        ],
    },
    Case {
        surface: "rosenbrock",
        optimizer: "momentum",
        lr: 0.001,
        start: [-1.5, 2.0],
        points: &[
            (1, [-1.345, 2.05]),
            (2, [-1.33045455, 2.046805]),
            (10, [-1.3012009895281496, 1.9105674472999667]),
            (50, [-1.0641967137438437, 1.1404770907730277]),
        ],
    },
    Case {
        surface: "rosenbrock",
        optimizer: "nesterov",
        lr: 0.001,
        start: [-1.5, 2.0],
        points: &[
            (1, [-1.2055, 2.095]),
            (2, [-1.6595457095550001, 1.891627495]),
            (10, [-0.861506272974498, 0.7358089104214615]),
            (50, [0.4099525384483332, 0.1645332177324778]),
        ],
    },
    Case {
        surface: "rosenbrock",
        optimizer: "adagrad",
        lr: 0.1,
        start: [-1.5, 2.0],
        points: &[
            (1, [-1.4000000000000645, 2.0999999999998]),
            (2, [-1.4428937933523005, 2.051139663106802]),
            (10, [-1.4274166899030147, 2.0437338155765454]),
            (50, [-1.3971105801676629, 1.9581316041993604]),
        ],
    },
    Case {
        surface: "rosenbrock",
        optimizer: "rmsprop",
        lr: 0.01,
        start: [-1.5, 2.0],
        points: &[
            (1, [-1.400000000064516, 2.0999999998]),
            (2, [-1.4430698810044937, 2.0509526157179816]),
            (10, [-1.4272561420691063, 2.043273091529072]),
            (50, [-1.3920909960733412, 1.9441332703013219]),
        ],
    },
    Case {
        surface: "rosenbrock",
        optimizer: "adam",
        lr: 0.05,
        start: [-1.5, 2.0],
        points: &[
            (1, [-1.4500000000032258, 2.04999999999]),
            (2, [-1.4090595504240422, 2.090437361107863]),
            (10, [-1.456196136578357, 2.012379848113389]),
            (50, [-1.3745064088634462, 1.8868385921216777]),
        ],
    },
    Case {
        surface: "beale",
        optimizer: "sgd",
        lr: 0.01,
        start: [1.0, 1.5],
        points: &[
            (1, [0.655, 0.575]),
            (2, [0.7235627324448487, 0.5044902726705615]),
            (10, [1.2603273444576373, 0.15892415712327987]),
            (50, [2.160397239399841, 0.19976219376462145]),
        ],
    },
    Case {
        surface: "beale",
        optimizer: "momentum",
        lr: 0.002,
        start: [1.0, 1.5],
        points: &[
            (1, [0.931, 1.315]),
            (2, [0.8386771996499602, 1.0395108929865366]),
            (10, [0.7063515369675804, -0.8603427303522705]),
            (50, [2.2474707644011422, 0.2338604542978398]),
        ],
    },
    Case {
        surface: "beale",
        optimizer: "nesterov",
        lr: 0.002,
        start: [1.0, 1.5],
        points: &[
            (1, [0.8689, 1.1485]),
            (2, [0.7930196000418333, 0.8692706289538711]),
            (10, [0.9162184948357673, -0.5917670059558191]),
            (50, [2.332965865231973, 0.28562021398882675]),
        ],
    },
    Case {
        surface: "beale",
        optimizer: "adagrad",
        lr: 0.1,
        start: [1.0, 1.5],
        points: &[
            (1, [0.9000000000002899, 1.400000000000108]),
            (2, [0.8460640809690515, 1.3434413217849865]),
            (10, [0.6813880077808737, 1.1352983054718222]),
            (50, [0.7941629748357514, 0.7568859415212759]),
        ],
    },
    Case {
        surface: "beale",
        optimizer: "rmsprop",
        lr: 0.01,
        start: [1.0, 1.5],
        points: &[
            (1, [0.9000000002898552, 1.400000000108108]),
            (2, [0.845871830785472, 1.3432480042113677]),
            (10, [0.6792465960629521, 1.1320713139618495]),
            (50, [0.846897041591669, 0.7185027574091316]),
        ],
    },
    Case {
        surface: "beale",
        optimizer: "adam",
        lr: 0.05,
        start: [1.0, 1.5],
        points: &[
            (1, [0.9500000000144928, 1.4500000000054054]),
            (2, [0.900574558545157, 1.4004630048995335]),
            (10, [0.5664414142630713, 1.0472082700235128]),
            (50, [1.098468867872568, 0.3011373745767437]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "sgd",
        lr: 0.01,
        start: [0.0, 0.0],
        points: &[
            (1, [0.14, 0.22]),
            (2, [0.33649024000000005, 0.49515008000000005]),
            (10, [2.8941497282576396, 2.172385146929446]),
            (50, [2.999999545210649, 2.0000010979573823]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "momentum",
        lr: 0.01,
        start: [0.0, 0.0],
        points: &[
            (1, [0.14, 0.22]),
            (2, [0.46249024, 0.6931500800000001]),
            (10, [2.9721223118122677, -0.7877883705039848]),
            (50, [3.5334214394683583, -1.914067604604238]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "nesterov",
        lr: 0.01,
        start: [0.0, 0.0],
        points: &[
            (1, [0.266, 0.418]),
            (2, [0.8411477967040001, 1.204002351968]),
            (10, [3.08279640851662, 1.758018594451838]),
            (50, [2.999966072997376, 2.0000819027363153]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "adagrad",
        lr: 0.1,
        start: [0.0, 0.0],
        points: &[
            (1, [0.09999999999928573, 0.09999999999954547]),
            (2, [0.17915843946797053, 0.17445361546213117]),
            (10, [0.5916428101441333, 0.5439416773005472]),
            (50, [1.5605088172713248, 1.388231866633808]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "rmsprop",
        lr: 0.01,
        start: [0.0, 0.0],
        points: &[
            (1, [0.09999999928571426, 0.09999999954545451]),
            (2, [0.1793066400116648, 0.17462007857103115]),
            (10, [0.5958994816414855, 0.54837056565372]),
            (50, [1.613548634408685, 1.4398904836528794]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "adam",
        lr: 0.05,
        start: [0.0, 0.0],
        points: &[
            (1, [0.0499999999642857, 0.04999999997727272]),
            (2, [0.10006058342028483, 0.10005380294837118]),
            (10, [0.5080288652948683, 0.5056171054805894]),
            (50, [2.6748603412204273, 2.3520358466774836]),
        ],
    },
    Case {
        surface: "ill-conditioned",
        optimizer: "sgd",
        lr: 0.035,
        start: [-8.0, 2.0],
        points: &[
            (1, [-7.72, -1.5000000000000004]),
            (2, [-7.4498, 1.1250000000000009]),
            (10, [-5.602258193224917, 0.11262702941894552]),
            (50, [-1.3472731482318068, 1.1326433128538875e-06]),
        ],
    },
    Case {
        surface: "ill-conditioned",
        optimizer: "momentum",
        lr: 0.035,
        start: [-8.0, 2.0],
        points: &[
            (1, [-7.72, -1.5000000000000004]),
            (2, [-7.1978, -2.0249999999999995]),
            (10, [0.45471864471789797, -1.562898379297852]),
            (50, [0.5466841868960998, 0.1896191121920917]),
        ],
    },
    Case {
        surface: "ill-conditioned",
        optimizer: "nesterov",
        lr: 0.035,
        start: [-8.0, 2.0],
        points: &[
            (1, [-7.468, -4.65]),
            (2, [-6.744578, 7.976250000000003]),
            (10, [0.543152227665486, 886.4608021303973]),
            (50, [0.20938195381269614, 14406542133044.488]),
        ],
    },
    Case {
        surface: "ill-conditioned",
        optimizer: "adagrad",
        lr: 0.1,
        start: [-8.0, 2.0],
        points: &[
            (1, [-7.90000000000125, 1.9000000000001]),
            (2, [-7.829735432786939, 1.8311250538086787]),
            (10, [-7.504076805427113, 1.5239794475087463]),
            (50, [-6.764925563888927, 0.9079938553541886]),
        ],
    },
    Case {
        surface: "ill-conditioned",
        optimizer: "rmsprop",
        lr: 0.01,
        start: [-8.0, 2.0],
        points: &[
            (1, [-7.9000000012500005, 1.9000000001000001]),
            (2, [-7.82955688548138, 1.8309433255507397]),
            (10, [-7.499728535906574, 1.519793797412186]),
            (50, [-6.709537215521888, 0.8629606214037622]),
        ],
    },
    Case {
        surface: "ill-conditioned",
        optimizer: "adam",
        lr: 0.05,
        start: [-8.0, 2.0],
        points: &[
            (1, [-7.9500000000625, 1.950000000005]),
            (2, [-7.9000084168250995, 1.9000369974245033]),
            (10, [-7.501059371918394, 1.5049558363397966]),
            (50, [-5.606403790733573, 0.11496973327731091]),
        ],
    },
];

// The learning rate drops to lr/4 after step 20.
const TORCH_LR_CHANGE: &[Case] = &[
    Case {
        surface: "himmelblau",
        optimizer: "sgd",
        lr: 0.01,
        start: [0.0, 0.0],
        points: &[
            (20, [2.9965543720422, 2.0082474638299743]),
            (21, [2.9967783159939105, 2.007714848767919]),
            (50, [2.99953586800992, 2.001119037605369]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "momentum",
        lr: 0.005,
        start: [0.0, 0.0],
        points: &[
            (20, [3.3663149045910448, -1.6954381995860954]),
            (21, [3.313456983810478, -1.7819146315626444]),
            (50, [3.6250321271431476, -1.7727353551518361]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "nesterov",
        lr: 0.005,
        start: [0.0, 0.0],
        points: &[
            (20, [2.9766740062246577, 2.06197243916792]),
            (21, [2.9710616336433495, 2.073949229952862]),
            (50, [3.0030165912783726, 1.9919328664599911]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "adagrad",
        lr: 0.1,
        start: [0.0, 0.0],
        points: &[
            (20, [0.924247387646188, 0.8370871517671796]),
            (21, [0.9312509380484194, 0.8432420588601701]),
            (50, [1.0775591376864078, 0.9770022722422732]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "rmsprop",
        lr: 0.01,
        start: [0.0, 0.0],
        points: &[
            (20, [0.9376565689428371, 0.850805562649906]),
            (21, [0.9449294674565325, 0.8572312885354194]),
            (50, [1.1012373215077451, 1.001226507964951]),
        ],
    },
    Case {
        surface: "himmelblau",
        optimizer: "adam",
        lr: 0.05,
        start: [0.0, 0.0],
        points: &[
            (20, [1.0497246974438268, 1.0317239098290591]),
            (21, [1.0637798746752525, 1.0451246797295146]),
            (50, [1.4789861330330807, 1.429803996589006]),
        ],
    },
];
