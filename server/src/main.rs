//! The Les Minoria shop server: reads its configuration from the environment, opens and migrates
//! the database, and serves the shop until SIGINT or SIGTERM.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::init_tracing();
    match server::run(server::Config::from_env()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line that says what to fix; no panic trace.
            eprintln!("lesminoria: {error}");
            ExitCode::from(2)
        }
    }
}
