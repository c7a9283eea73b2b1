//! The shop's pages as axum routes: one per row of `app::model::route::ROUTES` and language.
//!
//! Each row says what its page needs from the database (`Load`), and its route loads exactly
//! that into the request before Leptos renders; pages then render synchronously from request
//! extensions (`app::pages::data`), without awaiting anything: resources awaited during server
//! rendering occasionally never woke up under concurrent requests.
//!
//! Each row also says whether its page may be shared (`Caching`), and the row's route is put in
//! the matching part of the router: public pages behind the page cache, private pages rendered
//! for every request and answered `no-store`. The private part is where "who may see this"
//! (a customer's session, a staff role) gets its layer when accounts arrive.

use std::sync::Arc;

use app::backend::accounts::{self, auth};
use app::backend::{contact, AppState};
use app::model::account::{
    AddressBook, GoodResetLink, MemberOrder, MemberOrders, MemberView, EDIT_QUERY,
};
use app::model::contact::ConfirmedReference;
use app::model::route::{
    Caching, Load, NEXT_QUERY, REFERENCE_QUERY, ROUTES, STATE_QUERY, TOKEN_QUERY,
};
use app::model::{Locale, Page};
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::prelude::provide_context;

use crate::error_pages;
use crate::page_cache::{self, PageCache, PublicRoute};

/// Every page's route, public ones behind `cache`.
pub fn router(
    state: &AppState,
    cache: PageCache,
    sessions: auth::Layer,
    staff_sessions: app::backend::staff::auth::Layer,
) -> Router<AppState> {
    let mut public = Router::new();
    let mut private = Router::new();
    let mut staff = Router::new();
    for route in &ROUTES {
        for locale in Locale::ALL {
            let path = route.axum_path(locale);
            let page = get(move |State(state): State<AppState>, request: Request| {
                render(state, route.loads, request)
            });
            match route.caching {
                Caching::Public { query } => {
                    let layer = PublicRoute {
                        cache: cache.clone(),
                        state: state.clone(),
                        query,
                    };
                    let page = page.layer(middleware::from_fn_with_state(layer, page_cache::apply));
                    public = public.route(&path, page);
                }
                Caching::Private => private = private.route(&path, page),
                Caching::Staff { role: None } => staff = staff.route(&path, page),
                Caching::Staff { role: Some(role) } => {
                    let needs = crate::staff_guard::Needs {
                        state: state.clone(),
                        role,
                    };
                    let page = page.layer(middleware::from_fn_with_state(
                        needs,
                        crate::staff_guard::require,
                    ));
                    staff = staff.route(&path, page);
                }
            }
        }
    }
    // Private pages may show who is logged in: they, and only they, read members' sessions
    // (a public page never varies by member, and a cache hit reads nothing). The back office
    // reads staff sessions only.
    public
        .merge(private.layer(sessions).layer(middleware::from_fn(no_store)))
        .merge(
            staff
                .layer(staff_sessions)
                .layer(middleware::from_fn(no_store)),
        )
}

/// Renders the page the request's address names, after loading what `loads` says.
async fn render(state: AppState, loads: &'static [Load], mut request: Request) -> Response {
    if let Err(response) = load(&state, loads, &mut request).await {
        return response;
    }
    render_loaded(state, request, || {}).await
}

/// Renders the page the request's address names from what was loaded into it; `context` adds
/// to what the page can read (a form's feedback, say).
pub async fn render_loaded(
    state: AppState,
    request: Request,
    context: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            context();
        },
        move || app::shell(options.clone()),
    );
    handler(request).await
}

/// Puts what `loads` names into `request`'s extensions; `Err` is the answer when the database
/// cannot be read.
pub async fn load(state: &AppState, loads: &[Load], request: &mut Request) -> Result<(), Response> {
    let locale = app::i18n::locale_of_path(request.uri().path());
    for load in loads {
        match load {
            Load::Catalogue => {
                let snapshot = state.catalogue.get_recent(&state.db).await.map_err(|error| {
                    tracing::error!(%error, "the catalogue could not be loaded to render a page");
                    unavailable(locale)
                })?;
                request.extensions_mut().insert::<Arc<_>>(snapshot);
            }
            Load::Checkout => {
                let uri = request.uri().clone();
                let headers = request.headers().clone();
                let snapshot = request
                    .extensions()
                    .get::<Arc<app::backend::catalogue::Snapshot>>()
                    .cloned();
                let member = request.extensions().get::<MemberView>().cloned();
                if let Some(data) = crate::checkout_page::load(
                    state,
                    &uri,
                    &headers,
                    snapshot,
                    locale,
                    member.as_ref(),
                )
                .await
                .map_err(|error| {
                    tracing::error!(%error, "a checkout could not be loaded to render it");
                    unavailable(locale)
                })? {
                    request.extensions_mut().insert(data);
                }
            }
            Load::Order => {
                let uri = request.uri().clone();
                if let Some(order) = crate::checkout_page::load_order(state, &uri)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "an order could not be loaded to render it");
                        unavailable(locale)
                    })?
                {
                    let first_view = crate::checkout_page::just_placed(state, &uri, &order.number)
                        .await
                        .map_err(|error| {
                            tracing::error!(%error, "an order's first view could not be recorded");
                            unavailable(locale)
                        })?;
                    if first_view {
                        request
                            .extensions_mut()
                            .insert(app::model::checkout::order::JustPlaced);
                    }
                    request.extensions_mut().insert(order);
                }
            }
            Load::Member => {
                let Some(mut session) = request.extensions().get::<auth::AuthSession>().cloned()
                else {
                    continue;
                };
                let member = auth::current_member(&state.db, &mut session)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "a member's session could not be read");
                        unavailable(locale)
                    })?;
                if let Some(member) = member {
                    request.extensions_mut().insert(member);
                    // The cart merged at login, handed to the browser once.
                    let handoff: Option<String> = session
                        .session
                        .remove(auth::CART_HANDOFF)
                        .await
                        .unwrap_or(None);
                    if let Some(cart) = handoff {
                        request
                            .extensions_mut()
                            .insert(app::model::account::CartHandoff(cart));
                    }
                }
            }
            Load::MemberRequired => {
                if request.extensions().get::<MemberView>().is_none() {
                    let page = app::model::route::ROUTES
                        .iter()
                        .find(|route| route.axum_path(locale) == request.uri().path())
                        .map_or(Page::Account, |route| route.page.clone());
                    return Err(to_login(locale, &page));
                }
            }
            Load::Addresses => {
                let Some(member) = request.extensions().get::<MemberView>().map(|m| m.id) else {
                    continue;
                };
                let editing = crate::query::value(request.uri().query(), EDIT_QUERY)
                    .and_then(|id| id.parse::<i64>().ok());
                let book = async {
                    let addresses = accounts::addresses::list(&state.db, member).await?;
                    let editing = match editing {
                        Some(id) => accounts::addresses::find(&state.db, member, id).await?,
                        None => None,
                    };
                    Ok::<_, sqlx::Error>(AddressBook { addresses, editing })
                }
                .await
                .map_err(|error| {
                    tracing::error!(%error, "an address book could not be read");
                    unavailable(locale)
                })?;
                request.extensions_mut().insert(book);
            }
            Load::MemberOrders => {
                let Some(member) = request.extensions().get::<MemberView>().map(|m| m.id) else {
                    continue;
                };
                let loaded = async {
                    let orders = accounts::orders::list(&state.db, member).await?;
                    let claimable = accounts::orders::claimable(&state.db, member).await?;
                    Ok::<_, sqlx::Error>((orders, claimable))
                }
                .await
                .map_err(|error| {
                    tracing::error!(%error, "a member's orders could not be read");
                    unavailable(locale)
                })?;
                let (orders, claimable) = loaded;
                let orders = orders
                    .into_iter()
                    .map(|(number, placed_at, status, total)| MemberOrder {
                        link: crate::checkout_form::order_address(state, locale, &number),
                        number,
                        placed_at,
                        status,
                        total,
                    })
                    .collect();
                request
                    .extensions_mut()
                    .insert(MemberOrders { orders, claimable });
            }
            Load::KvkkApplications => {
                let Some(member) = request.extensions().get::<MemberView>().map(|m| m.id) else {
                    continue;
                };
                let applications = accounts::kvkk::applications(&state.db, member)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "a member's KVKK applications could not be read");
                        unavailable(locale)
                    })?;
                request
                    .extensions_mut()
                    .insert(app::model::kvkk::KvkkPageData { applications });
            }
            Load::SavedCards => {
                let Some(member) = request.extensions().get::<MemberView>().map(|m| m.id) else {
                    continue;
                };
                let cards = match accounts::cards::list(state.payments.as_ref(), member).await {
                    Ok(cards) => Some(cards),
                    Err(error) => {
                        tracing::error!(%error, "a member's saved cards could not be listed");
                        None
                    }
                };
                request
                    .extensions_mut()
                    .insert(app::model::account::SavedCards(cards));
            }
            Load::UnsubscribeLink => {
                if let Some((_, channel)) =
                    crate::account_forms::unsubscribe_link(state, request.uri())
                {
                    request
                        .extensions_mut()
                        .insert(app::model::account::GoodUnsubscribeLink(channel));
                }
            }
            Load::ResetLink => {
                let token = crate::query::value(request.uri().query(), TOKEN_QUERY);
                let Some(token) = token else { continue };
                let target = accounts::reset_target(&state.db, &token)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "a new-password link could not be looked up");
                        unavailable(locale)
                    })?;
                if target.is_some() {
                    request.extensions_mut().insert(GoodResetLink);
                }
            }
            Load::StaffDashboard => {
                let figures = app::backend::staff::orders::dashboard(&state.db)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "the back office's figures could not be read");
                        unavailable(locale)
                    })?;
                request.extensions_mut().insert(figures);
            }
            Load::StaffOrders => {
                let pairs: Vec<(String, String)> =
                    form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
                        .into_owned()
                        .collect();
                let filter = app::model::staff::StaffOrderFilter::from_pairs(
                    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                );
                let list = app::backend::staff::orders::list(&state.db, &filter)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "the back office's orders could not be read");
                        unavailable(locale)
                    })?;
                request.extensions_mut().insert(list);
            }
            Load::StaffOrder => {
                let number = last_segment(request.uri());
                let detail = app::backend::staff::orders::detail(&state.db, &number)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "an order could not be read for the back office");
                        unavailable(locale)
                    })?;
                if let Some(detail) = detail {
                    request.extensions_mut().insert(detail);
                }
            }
            Load::StaffInbox => {
                let status =
                    crate::query::value(request.uri().query(), STATE_QUERY).unwrap_or_default();
                let inbox = app::backend::staff::desk::inbox(&state.db, &status)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "the inbox could not be read");
                        unavailable(locale)
                    })?;
                request.extensions_mut().insert(inbox);
            }
            Load::StaffMessage => {
                let reference = last_segment(request.uri());
                let message = app::backend::staff::desk::message(&state.db, &reference)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "a contact message could not be read");
                        unavailable(locale)
                    })?;
                if let Some(message) = message {
                    request.extensions_mut().insert(message);
                }
            }
            Load::StaffProducts => {
                let search = crate::query::value(request.uri().query(), "ara").unwrap_or_default();
                let search: String = search.trim().chars().take(100).collect();
                let products = app::backend::staff::catalogue::products(&state.db, &search)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "the back office's catalogue could not be read");
                        unavailable(locale)
                    })?;
                request.extensions_mut().insert(products);
            }
            Load::StaffCampaigns => {
                use app::pages::admin_coupons::{CAMPAIGN_QUERY, EDIT_QUERY};
                let query = request.uri().query();
                let coupon = crate::query::value(query, EDIT_QUERY);
                let campaign =
                    crate::query::value(query, CAMPAIGN_QUERY).and_then(|id| id.parse().ok());
                let desks = async {
                    Ok::<_, sqlx::Error>((
                        app::backend::staff::coupons::desk(&state.db, coupon.as_deref()).await?,
                        app::backend::staff::campaigns::desk(&state.db, campaign).await?,
                    ))
                }
                .await
                .map_err(|error| {
                    tracing::error!(%error, "the campaigns and discount codes could not be read");
                    unavailable(locale)
                })?;
                request.extensions_mut().insert(desks.0);
                request.extensions_mut().insert(desks.1);
            }
            Load::StaffProduct => {
                let slug = last_segment(request.uri());
                let product = app::backend::staff::catalogue::product(&state.db, &slug)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "a product could not be read for the back office");
                        unavailable(locale)
                    })?;
                if let Some(product) = product {
                    request.extensions_mut().insert(product);
                }
            }
            Load::StaffConsents => {
                let query = crate::query::value(request.uri().query(), "ara").unwrap_or_default();
                let query: String = query.chars().take(320).collect();
                let found = app::backend::staff::records::consents(&state.db, &query)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "the consent ledgers could not be read");
                        unavailable(locale)
                    })?;
                request.extensions_mut().insert(found);
            }
            Load::StaffOutbox => {
                let status =
                    crate::query::value(request.uri().query(), STATE_QUERY).unwrap_or_default();
                let outbox = app::backend::staff::records::outbox(&state.db, &status)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "the outbox could not be read");
                        unavailable(locale)
                    })?;
                request.extensions_mut().insert(outbox);
            }
            Load::StaffTeam => {
                let team = app::backend::staff::team(&state.db)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "the staff could not be read");
                        unavailable(locale)
                    })?;
                request.extensions_mut().insert(team);
            }
            Load::StaffKvkk => {
                let desk = app::backend::staff::desk::kvkk_desk(&state.db)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "the KVKK applications could not be read");
                        unavailable(locale)
                    })?;
                request.extensions_mut().insert(desk);
            }
            Load::StaffKvkkCase => {
                let reference = last_segment(request.uri());
                let case = app::backend::staff::desk::kvkk_case(&state.db, &reference)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "a KVKK application could not be read");
                        unavailable(locale)
                    })?;
                if let Some(case) = case {
                    request.extensions_mut().insert(case);
                }
            }
            Load::ContactReference => {
                let reference = crate::query::value(request.uri().query(), REFERENCE_QUERY);
                let Some(reference) = reference.filter(|r| contact::is_reference(r)) else {
                    continue;
                };
                let exists = contact::exists(&state.db, &reference)
                    .await
                    .map_err(|error| {
                        tracing::error!(%error, "a contact reference could not be looked up");
                        unavailable(locale)
                    })?;
                if exists {
                    request
                        .extensions_mut()
                        .insert(ConfirmedReference(reference));
                }
            }
        }
    }
    Ok(())
}

/// The layer of private pages: never kept by the page cache (they never pass it), a browser or
/// anything between.
async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The fallback: a static file from the site root, or else the 404 page (with the menu, so
/// the catalogue is loaded for it; without the database it is shown without the menu).
pub async fn file_or_not_found(State(state): State<AppState>, mut request: Request) -> Response {
    // `/urun/x/` is `/urun/x`: one address per page, so that every page passes its route's
    // policy (cache, loads, who may see it) rather than rendering here.
    if let Some(address) = without_trailing_slash(request.uri()) {
        return (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, address)],
        )
            .into_response();
    }
    if looks_like_a_page(request.uri().path()) {
        let _ = load(&state, &[Load::Catalogue], &mut request).await;
    }
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let handler =
        leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, app::shell);
    let uri = request.uri().clone();
    let mut response = handler(uri, State(state), request).await;
    if !response.status().is_success() && response.status() != StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The last segment of the address's path: a page's parameter (order numbers and references
/// are plain ASCII, so one with anything else is simply not found).
pub(crate) fn last_segment(uri: &axum::http::Uri) -> String {
    uri.path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The address without its trailing slashes, when it has any (and is not the root).
fn without_trailing_slash(uri: &axum::http::Uri) -> Option<String> {
    let path = uri.path();
    let trimmed = path.trim_end_matches('/');
    if trimmed.len() == path.len() || trimmed.is_empty() {
        return None;
    }
    // `//evil.example/` must not become a redirect to another site.
    let trimmed = format!("/{}", trimmed.trim_start_matches('/'));
    Some(match uri.query() {
        Some(query) => format!("{trimmed}?{query}"),
        None => trimmed,
    })
}

/// Files have an extension in their last segment; pages never do.
fn looks_like_a_page(path: &str) -> bool {
    !path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// To Giriş, and back to `page` after logging in.
pub fn to_login(locale: Locale, page: &Page) -> Response {
    let login = locale.path(&Page::Login);
    let back = locale.path(page);
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::LOCATION,
                format!("{login}?{STATE_QUERY}=gerekli&{NEXT_QUERY}={back}"),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}

/// The database cannot be read: a short page in the page's language, and when to ask again.
pub fn unavailable(locale: Locale) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::RETRY_AFTER, "5"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        error_pages::html(locale, "error.unavailable_title", "error.unavailable_text"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_slash_leads_to_the_page_without_it() {
        let redirect = |uri: &str| without_trailing_slash(&uri.parse().unwrap());
        assert_eq!(redirect("/urun/x/").as_deref(), Some("/urun/x"));
        assert_eq!(redirect("/en/?a=1").as_deref(), Some("/en?a=1"));
        assert_eq!(
            redirect("//evil.example/").as_deref(),
            Some("/evil.example")
        );
        assert_eq!(redirect("/"), None);
        assert_eq!(redirect("/urun/x"), None);
    }

    #[test]
    fn files_are_told_from_pages_by_their_extension() {
        assert!(looks_like_a_page("/"));
        assert!(looks_like_a_page("/kategori/kadin"));
        assert!(!looks_like_a_page("/pkg/lesminoria.abc.wasm"));
        assert!(!looks_like_a_page("/favicon.svg"));
    }
}
