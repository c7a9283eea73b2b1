//! `GET /healthz`: 200 when the shop can reach its database, 503 when it cannot. Load balancers
//! and the test harness wait on it.

use std::time::Duration;

use app::backend::AppState;
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::IntoResponse,
    routing::get,
    Router,
};

/// A health check that hangs is worse than one that fails.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /healthz`.
pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(healthz))
}

/// Where load balancers ask.
pub const PATH: &str = "/healthz";

pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let status = match tokio::time::timeout(DATABASE_TIMEOUT, state.db.ping()).await {
        Ok(Ok(())) => StatusCode::OK,
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database unreachable");
            StatusCode::SERVICE_UNAVAILABLE
        }
        Err(_) => {
            tracing::warn!("health check: database did not answer in time");
            StatusCode::SERVICE_UNAVAILABLE
        }
    };
    let body = if status.is_success() {
        "ok\n"
    } else {
        "database unavailable\n"
    };
    (status, [(header::CACHE_CONTROL, "no-store")], body)
}
