//! Menu labels lessons share: the 2-D surfaces and the optimisers.

use nnlab::optim::OptimizerKind;

use crate::i18n::Key;

/// Menu label of each offered surface, in menu order .
pub const SURFACE_LABELS: [(&str, Key); 6] = [
    ("rosenbrock", Key::SurfaceRosenbrock),
    ("beale", Key::SurfaceBeale),
    ("himmelblau", Key::SurfaceHimmelblau),
    ("ill-conditioned", Key::SurfaceIllConditioned),
    ("saddle", Key::SurfaceSaddle),
    ("plateau", Key::SurfacePlateau),
];

/// Menu label of an optimiser.
pub fn optimizer_label(kind: OptimizerKind) -> Key {
    match kind {
        OptimizerKind::Sgd => Key::OptSgd,
        OptimizerKind::Momentum => Key::OptMomentum,
        OptimizerKind::Nesterov => Key::OptNesterov,
        OptimizerKind::Adagrad => Key::OptAdagrad,
        OptimizerKind::RmsProp => Key::OptRmsProp,
        OptimizerKind::Adam => Key::OptAdam,
    }
}

/// The 2-D surfaces offered, in menu order (the names of [`SURFACE_LABELS`]).
pub const SURFACES: [&str; 6] = {
    let mut names = [""; 6];
    let mut i = 0;
    while i < names.len() {
        names[i] = SURFACE_LABELS[i].0;
        i += 1;
    }
    names
};
