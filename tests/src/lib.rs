//! Test support: snapshot helpers and the reference contact service.

pub mod contact_service;
