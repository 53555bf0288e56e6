//! Test support: snapshot and compile helpers for fixture specs, the
//! reference contact service, a recording server for wire tests, and the
//! reference stream service (paginated lists, server-sent events, JSON
//! Lines, downloads).

pub mod contact_service;
pub mod fixtures;
pub mod recorder;
pub mod stream_service;
