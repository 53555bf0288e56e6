//! Generator library (stub).
