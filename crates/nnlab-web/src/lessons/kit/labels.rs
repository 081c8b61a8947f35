//! Menu labels lessons share: the 2-D surfaces and the optimisers.

use nnlab::nn::Activation;
use nnlab::optim::OptimizerKind;

use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::widgets::Select;

/// Menu label of each offered surface, in menu order.
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

/// The label of surface `name` in `lang` (its name if it is not offered).
pub fn surface_label(lang: Lang, name: &str) -> &'static str {
    SURFACE_LABELS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |&(_, key)| lang.text(key))
}

/// The surface menu, `selected` chosen.
pub fn surface_menu(lang: Lang, selected: &str) -> WebResult<Select> {
    let options = SURFACE_LABELS.map(|(name, key)| (name, lang.text(key)));
    Select::new(lang.text(Key::SurfaceLabel), &options, selected)
}

/// A menu of `activations` under `caption` (each by its layer's name in the
/// lecture's code, `nn.ReLU`…), `selected` chosen.
pub fn activation_menu(
    caption: &str,
    activations: &[Activation],
    selected: Activation,
) -> WebResult<Select> {
    let options: Vec<(&str, &str)> = activations
        .iter()
        .map(|a| (a.name(), a.layer_name().unwrap_or("")))
        .collect();
    Select::new(caption, &options, selected.name())
}
