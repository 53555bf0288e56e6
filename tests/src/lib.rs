//! Test support: snapshot and compile helpers for fixture specs, and the
//! reference contact service, and a recording server for wire tests.

pub mod contact_service;
pub mod fixtures;
pub mod recorder;
