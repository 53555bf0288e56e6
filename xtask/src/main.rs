//! `cargo xtask <command>`: see [`xtask`] for what each command does.

use std::process::ExitCode;

use xtask::{Mode, codegen, diff};

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       cargo xtask diff OLD_SPEC NEW_SPEC [--json]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(Mode::Write),
        ["codegen", "--check"] => codegen(Mode::Check),
        ["diff", old, new] | ["diff", old, new, "--text"] => print(diff(old.as_ref(), new.as_ref(), false)),
        ["diff", old, new, "--json"] | ["diff", "--json", old, new] => print(diff(old.as_ref(), new.as_ref(), true)),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(warnings) => {
            for w in warnings {
                eprintln!("{w}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a command's output; no warnings follow.
fn print(result: Result<String, String>) -> Result<Vec<String>, String> {
    let text = result?;
    println!("{}", text.trim_end());
    Ok(Vec::new())
}
