use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::Db;

/// What every request handler and server function can reach. leptos_axum provides it as
/// context to pages and server functions (`expect_context::<AppState>()`), and axum hands it to
/// plain handlers through `State`.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
