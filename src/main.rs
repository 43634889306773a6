//! The `sahifa` binary: parses the command line and hands over to [`sahifa::cli::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    sahifa::cli::main()
}
