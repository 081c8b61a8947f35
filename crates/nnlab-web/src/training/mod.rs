//! The page's side of CIFAR-10 loading and training: the record of what the
//! training Worker reported ([`record`], browser-free) and the client that
//! talks to it ([`client`]).

pub mod client;
pub mod record;
