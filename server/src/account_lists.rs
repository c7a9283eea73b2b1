//! Hesabım's list pages: `POST /hesabim/kisisel-verilerim` records a KVKK application and
//! `GET …/indir` downloads everything held ([`export_personal_data`]); `POST /hesabim/siparislerim` claims the guest orders placed with the
//! member's confirmed address ([`claim_orders`]); `POST /hesabim/adreslerim`
//! (`/en/account/addresses`) is Adreslerim's forms, which say in `islem`
//! whether they save an address (add, or correct the one in `adres_id`), make one the default,
//! or delete one. An id that is not the member's gets the same 404 as one that does not exist.

use app::backend::accounts::addresses::{self, Saved};
use app::backend::AppState;
use app::model::account::{AddressDraft, AddressField};
use app::model::form::{Draft, FormField};
use app::model::Page;
use app::wire::account::{
    ACTION, ACTION_CLAIM, ACTION_DEFAULT, ACTION_DELETE, ACTION_SAVE, CARD_TOKEN,
};
use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::account_forms::{AccountRefusal, Posted};
use app::backend::accounts::auth::{self, AuthSession};
use app::backend::accounts::kvkk;
use app::model::consent::{consent_cookie_in, ConsentCookie};
use app::model::kvkk::{ApplicationDraft, ApplicationField};
use axum::http::header;

pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let member = match posted.member(&state, &Page::Addresses).await {
        Ok((_, member)) => member,
        Err(response) => return response,
    };
    let draft: AddressDraft = posted.draft();
    let id = posted
        .field(AddressField::Id.name())
        .trim()
        .parse::<i64>()
        .ok();
    let outcome: Result<&str, AccountRefusal<AddressField>> = async {
        match posted.field(ACTION) {
            ACTION_SAVE => {
                let named = draft.validate().map_err(AccountRefusal::Invalid)?;
                match addresses::save(&state.db, member.id, &named).await? {
                    Saved::Done => Ok("kaydedildi"),
                    Saved::NotFound => Err(AccountRefusal::Missing),
                    Saved::Full => Err(AccountRefusal::Said("account.addresses_full")),
                }
            }
            ACTION_DEFAULT => match id {
                Some(id) if addresses::set_default(&state.db, member.id, id).await? => {
                    Ok("varsayilan")
                }
                _ => Err(AccountRefusal::Missing),
            },
            ACTION_DELETE => match id {
                Some(id) if addresses::delete(&state.db, member.id, id).await? => Ok("silindi"),
                _ => Err(AccountRefusal::Missing),
            },
            _ => Err(AccountRefusal::Said("")),
        }
    }
    .await;
    match outcome {
        Ok(done) => posted.to(&Page::Addresses, done),
        Err(AccountRefusal::Said("")) => StatusCode::BAD_REQUEST.into_response(),
        Err(refusal) => {
            // A refused delete or default shows the book with an empty form.
            let draft = if posted.field(ACTION) == ACTION_SAVE {
                draft
            } else {
                AddressDraft::default()
            };
            posted
                .refused(state.clone(), Page::Addresses, draft, refusal)
                .await
        }
    }
}

/// Siparişlerim's "Siparişleri hesabıma ekle".
pub async fn claim_orders(State(state): State<AppState>, request: Request) -> Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let member = match posted.member(&state, &Page::Orders).await {
        Ok((_, member)) => member,
        Err(response) => return response,
    };
    if posted.field(ACTION) != ACTION_CLAIM {
        return StatusCode::BAD_REQUEST.into_response();
    }
    match app::backend::accounts::orders::claim(&state.db, member.id).await {
        Ok(_) => posted.to(&Page::Orders, "eklendi"),
        Err(error) => {
            tracing::error!(%error, "guest orders could not be claimed");
            crate::pages::unavailable(posted.locale)
        }
    }
}

/// Kişisel verilerim's application form (KVKK m.11).
pub async fn apply_kvkk(State(state): State<AppState>, request: Request) -> Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let member = match posted.member(&state, &Page::PersonalData).await {
        Ok((_, member)) => member,
        Err(response) => return response,
    };
    let draft: ApplicationDraft = posted.draft();
    let outcome: Result<(), AccountRefusal<ApplicationField>> = async {
        let application = draft.validate().map_err(AccountRefusal::Invalid)?;
        kvkk::apply(&state.db, member.id, &application, &posted.origin).await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => posted.to(&Page::PersonalData, "alindi"),
        Err(refusal) => {
            posted
                .refused(state.clone(), Page::PersonalData, draft, refusal)
                .await
        }
    }
}

/// Everything the shop holds about the member who asks, as a JSON download; the cookie choices
/// of the browser asking (its visitor id) are part of it.
pub async fn export_personal_data(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let locale = app::i18n::locale_of_path(parts.uri.path());
    let Some(mut session) = parts.extensions.get::<AuthSession>().cloned() else {
        return crate::pages::unavailable(locale);
    };
    let member = match auth::current_member(&state.db, &mut session).await {
        Ok(Some(member)) => member,
        Ok(None) => return crate::pages::to_login(locale, &Page::PersonalData),
        Err(error) => {
            tracing::error!(%error, "a member's session could not be read");
            return crate::pages::unavailable(locale);
        }
    };
    let visitor = consent_cookie_in(
        parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok()),
    )
    .and_then(ConsentCookie::decode)
    .map(|cookie| cookie.visitor_id)
    .unwrap_or_default();
    match kvkk::export(&state.db, member.id, &visitor).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"les-minoria-kisisel-verilerim.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "a member's personal data could not be exported");
            crate::pages::unavailable(locale)
        }
    }
}

/// Kayıtlı kartlarım's "Sil": deleted at the provider, recorded as a withdrawal. A token that is
/// not one of the member's cards gets the same 404 as one that does not exist.
pub async fn delete_card(State(state): State<AppState>, request: Request) -> Response {
    use app::backend::accounts::cards::{self, DeleteError};
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let member = match posted.member(&state, &Page::Cards).await {
        Ok((_, member)) => member,
        Err(response) => return response,
    };
    if posted.field(ACTION) != ACTION_DELETE {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let token = posted.field(CARD_TOKEN).trim().to_string();
    let deleted = cards::delete(
        &state.db,
        state.payments.as_ref(),
        member.id,
        &token,
        "hesabim",
        Some(&posted.origin),
    )
    .await;
    let refusal: AccountRefusal<AddressField> = match deleted {
        Ok(()) => return posted.to(&Page::Cards, "silindi"),
        Err(DeleteError::NotFound) => AccountRefusal::Missing,
        Err(error) => AccountRefusal::Unavailable(error.to_string()),
    };
    posted
        .refused(state.clone(), Page::Cards, AddressDraft::default(), refusal)
        .await
}
