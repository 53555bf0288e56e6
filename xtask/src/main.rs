//! `cargo xtask <command>`: see [`xtask`] for what each command does.

use std::path::Path;
use std::process::ExitCode;

use xtask::{Mode, codegen, corpus, diff, root};

const USAGE: &str = "usage: cargo xtask codegen [--check]\n       cargo xtask diff OLD_SPEC NEW_SPEC [--json]\n       cargo xtask corpus [DIR]   (default DIR: ../shared/corpus)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(Mode::Write),
        ["codegen", "--check"] => codegen(Mode::Check),
        ["diff", old, new] | ["diff", old, new, "--text"] => print(diff(old.as_ref(), new.as_ref(), false)),
        ["diff", old, new, "--json"] | ["diff", "--json", old, new] => print(diff(old.as_ref(), new.as_ref(), true)),
        ["corpus"] => run_corpus(None),
        ["corpus", dir] if !dir.starts_with('-') => run_corpus(Some(Path::new(dir))),
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

/// Runs the corpus, prints the table on stdout; an error when any spec fails.
fn run_corpus(dir: Option<&Path>) -> Result<Vec<String>, String> {
    // A relative DIR is taken from where the command runs.
    let dir = dir.map(|d| std::env::current_dir().map(|cwd| cwd.join(d)).unwrap_or_else(|_| d.to_owned()));
    let report = corpus::corpus(&root(), dir.as_deref())?;
    print!("{}", report.table());
    if report.passed() { Ok(Vec::new()) } else { Err("corpus: some documents failed (see the table)".to_owned()) }
}
