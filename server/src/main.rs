//! The Les Minoria shop server: reads its configuration from the environment, opens and migrates
//! the database, and serves the shop until SIGINT or SIGTERM.

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    server::init_tracing();
    let config = server::Config::from_env();
    let outcome = match std::env::args().nth(1).as_deref() {
        None => server::run(config).await,
        Some("reload-demo") => server::reload_demo(config).await,
        Some("create-staff") => {
            server::create_staff(config, std::env::args().skip(2).collect()).await
        }
        Some(other) => {
            eprintln!("lesminoria: unknown command {other:?}; run without arguments to serve, with reload-demo to replace the catalogue with the demo one, or with create-staff to add a member of staff");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line that says what to fix; no panic trace.
            eprintln!("lesminoria: {error}");
            ExitCode::from(2)
        }
    }
}
