//! The switches in a link: `before-act`, `before-init`, `before-opt` and
//! the same for `after`, each one of the names a switch offers, e.g.
//! `before-act=relu&before-init=small&before-opt=sgd&after-act=relu&after-init=scaled&after-opt=adam`.

use super::model::{choices, chosen, with, Ingredient, Model};
use crate::lessons::LinkState;
use crate::url_state::{Notice, Query, QueryReader};

/// The link's name of each network, in the model's order.
const LANE_KEYS: [&str; 2] = ["before", "after"];

/// The link's name of a switch.
fn ingredient_key(ingredient: Ingredient) -> &'static str {
    match ingredient {
        Ingredient::Activation => "act",
        Ingredient::Init => "init",
        Ingredient::Optimizer => "opt",
    }
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        let mut query = Query::new();
        for (lane, recipe) in LANE_KEYS.iter().zip(&self.recipes) {
            for ingredient in Ingredient::ALL {
                let key = format!("{lane}-{}", ingredient_key(ingredient));
                query.push((key, chosen(recipe, ingredient).into()));
            }
        }
        query
    }

    /// Each switch the link names, on top of the lecture's pair; an
    /// unknown value is a notice and keeps the default.
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let mut r = QueryReader::new(query);
        let defaults = Model::default().recipes;
        for (i, lane) in LANE_KEYS.iter().enumerate() {
            let mut recipe = defaults[i];
            for ingredient in Ingredient::ALL {
                let key = format!("{lane}-{}", ingredient_key(ingredient));
                if let Some(name) = r.listed(&key, &choices(ingredient)) {
                    recipe = with(recipe, ingredient, name).unwrap_or(recipe);
                }
            }
            self.recipes[i] = recipe;
        }
        r.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::testing::{problems, query};
    use nnlab::nn::Activation;
    use nnlab_worker::protocol::DeepRecipe;

    const LECTURE: &str = "before-act=sigmoid&before-init=small&before-opt=sgd&after-act=relu&after-init=scaled&after-opt=adam";

    #[test]
    fn the_switches_round_trip() {
        let mut model = Model::default();
        assert_eq!(model.state_query(), query(LECTURE));
        let link = "before-act=relu&before-init=small&before-opt=sgd&after-act=sigmoid&after-init=scaled&after-opt=adam";
        assert!(model.apply_query(&query(link)).is_empty());
        assert_eq!(model.recipes[0].activation, Activation::Relu);
        assert_eq!(model.recipes[1].activation, Activation::Sigmoid);
        assert_eq!(model.state_query(), query(link));
        // A link naming one switch keeps the lecture's pair for the rest.
        model.apply_query(&query("after-opt=sgd"));
        assert_eq!(model.recipes[0], DeepRecipe::BEFORE);
        assert_eq!(model.recipes[1].optimizer, nnlab::optim::OptimizerKind::Sgd);
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let mut model = Model::default();
        let notices = model.apply_query(&query(
            "before-act=tanh&after-opt=%3Cscript%3E&before-init=small&before-init=scaled&x=1",
        ));
        assert_eq!(model.recipes, Model::default().recipes);
        assert_eq!(
            problems(&notices),
            "before-act UnknownName, before-init Repeated, after-opt UnknownName, x UnknownKey"
        );
    }
}
