//! Test support: snapshot and compile helpers for fixture specs, and the
//! reference services: the contact service, a recording server for wire
//! tests, a service for uploads, tokens, redirects and large bodies, and the
//! stream service (paginated lists, server-sent events, JSON Lines,
//! downloads).

pub mod contact_service;
pub mod fixtures;
pub mod production_service;
pub mod recorder;
pub mod stream_service;
