//! The page's side of CIFAR-10 loading and training: the record of what the
//! training Worker reported ([`record`], browser-free) and the client that
//! talks to it ([`client`]), which starts the Worker build this browser
//! runs fastest ([`simd`]) and tells it how many Workers to train on
//! ([`workers`]). [`deep_record`] keeps the deep-training lesson's pair.

pub mod client;
pub mod deep_record;
pub mod record;
pub mod simd;
pub mod workers;
