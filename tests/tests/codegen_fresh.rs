//! `cargo test` fails when `generated-client/` is stale, exactly like
//! `cargo xtask codegen --check` (the same function runs in check mode).

#[test]
fn generated_client_is_fresh() {
    if let Err(message) = xtask::codegen(xtask::Mode::Check) {
        panic!("{message}");
    }
}
