//! Who may use the back office: every page and handler under `/yonetim` passes [`require`]
//! with the role its route row (or its handler) names. A member of staff logged in with that
//! role, or a higher one, gets their `StaffView` on the request; anyone else (no session, a
//! customer's session, a lower role, a disabled account, a session past its absolute expiry)
//! gets the same 404 page as an address that does not exist, not a hint that something is
//! there.

use app::backend::staff::auth::{self, StaffSession};
use app::backend::AppState;
use app::model::staff::StaffRole;
use axum::{
    body::Body,
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::Response,
};

/// The role a route needs, with the shop's state.
#[derive(Clone)]
pub struct Needs {
    pub state: AppState,
    pub role: StaffRole,
}

pub async fn require(State(needs): State<Needs>, mut request: Request, next: Next) -> Response {
    let locale = app::i18n::locale_of_path(request.uri().path());
    let session = request.extensions().get::<StaffSession>().cloned();
    let staff = match session {
        Some(mut session) => match auth::current_staff(&needs.state.db, &mut session).await {
            Ok(staff) => staff,
            Err(error) => {
                tracing::error!(%error, "a staff session could not be read");
                return crate::pages::unavailable(locale);
            }
        },
        None => None,
    };
    match staff {
        Some(staff) if staff.role.covers(needs.role) => {
            request.extensions_mut().insert(staff);
            let may_change_the_catalogue = !request.method().is_safe();
            let response = next.run(request).await;
            if may_change_the_catalogue {
                // A price, a product or a campaign saved here shows on this process's next page
                // at once (other processes hear it from PostgreSQL: catalogue::changes). When
                // nothing in the catalogue changed, this costs one version read.
                needs.state.catalogue.changed();
            }
            response
        }
        _ => not_found(needs.state, &request.into_parts().0).await,
    }
}

/// The 404 page for the address of `request`, as a GET without anything the layers added.
pub async fn not_found(state: AppState, request: &axum::http::request::Parts) -> Response {
    let mut page = Request::get(request.uri.clone())
        .body(Body::empty())
        .expect("a GET for a path that was just parsed");
    if let Some(language) = request.headers.get(header::ACCEPT_LANGUAGE) {
        page.headers_mut()
            .insert(header::ACCEPT_LANGUAGE, language.clone());
    }
    let mut response = crate::pages::file_or_not_found(State(state), page).await;
    *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
    response
}
