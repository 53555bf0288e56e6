//! Test support: snapshot and compile helpers for fixture specs, and the
//! reference contact service.

pub mod contact_service;
pub mod fixtures;
