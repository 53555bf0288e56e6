//! Test support: snapshot helpers and the reference contact service.
