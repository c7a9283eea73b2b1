//! `POST /cayma/{number}?erisim=…` (`/en/withdrawal/…`): a cayma notice for the order the
//! signed link opens. Guests and members alike reach it through that link (Siparişlerim signs
//! one for each of a member's orders), so the link is the whole authorisation: without a good
//! one the answer is the 404 a missing order gets. The notice and its e-mailed acknowledgement
//! are one transaction; only after it committed does the shopper read "received".

use app::backend::orders::cayma::{self, CaymaRefusal};
use app::backend::{order_link, time, AppState};
use app::model::cayma::{CaymaDraft, CaymaField};
use app::model::form::{Draft, FieldProblem};
use app::model::route::STATE_QUERY;
use app::model::{Locale, Page};
use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    routing::post,
    Router,
};

use crate::account_forms::Posted;
use crate::forms::{self, Refusal};

pub fn router() -> Router<AppState> {
    Locale::ALL
        .into_iter()
        .fold(Router::new(), |router, locale| {
            router.route(&locale.path(&Page::Cayma("{number}".into())), post(submit))
        })
}

/// Why the form was not taken, as the shopper reads it.
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("the form has problems")]
    Invalid(Vec<FieldProblem<CaymaField>>),
    #[error("no such order, or not its link")]
    NotFound,
    #[error(transparent)]
    Cayma(CaymaRefusal),
}

impl Refusal<CaymaDraft> for Refused {
    fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_) | Self::Cayma(CaymaRefusal::AccountNeeded) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::NotFound | Self::Cayma(CaymaRefusal::NotFound) => StatusCode::NOT_FOUND,
            Self::Cayma(CaymaRefusal::Database(_)) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Cayma(_) => StatusCode::CONFLICT,
        }
    }

    fn message_key(&self) -> &'static str {
        match self {
            Self::Invalid(_) | Self::Cayma(CaymaRefusal::AccountNeeded) => "cayma.refused.problems",
            Self::NotFound | Self::Cayma(CaymaRefusal::NotFound | CaymaRefusal::NotOpen) => {
                "cayma.refused.closed"
            }
            Self::Cayma(CaymaRefusal::PastDeadline) => "cayma.refused.past_deadline",
            Self::Cayma(CaymaRefusal::Exempt) => "cayma.refused.exempt",
            Self::Cayma(CaymaRefusal::TooMany) => "cayma.refused.stale",
            Self::Cayma(CaymaRefusal::Database(_)) => "cayma.refused.unavailable",
        }
    }

    fn field_problems(self) -> Vec<FieldProblem<CaymaField>> {
        match self {
            Self::Invalid(problems) => problems,
            Self::Cayma(CaymaRefusal::AccountNeeded) => vec![FieldProblem {
                field: CaymaField::Iban,
                message_key: "cayma.problem.iban_required",
            }],
            _ => Vec::new(),
        }
    }
}

async fn submit(
    State(state): State<AppState>,
    Path(number): Path<String>,
    request: Request,
) -> axum::response::Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let page = Page::Cayma(number.clone());
    let draft: CaymaDraft = posted.draft();
    let token = crate::query::value(posted.parts.uri.query(), order_link::ACCESS_QUERY);
    let opens = token.as_deref().is_some_and(|token| {
        order_link::verify(
            &state.order_link_secret,
            &number,
            token,
            time::now_seconds(),
        )
        .is_ok()
    });
    let outcome = match (opens, draft.validate()) {
        (false, _) => Err(Refused::NotFound),
        (true, Err(problems)) => Err(Refused::Invalid(problems)),
        (true, Ok(form)) => cayma::request_cayma(
            &state.db,
            state.invoices.as_ref(),
            &number,
            &form,
            posted.locale,
            &posted.origin,
        )
        .await
        .map_err(Refused::Cayma),
    };
    match outcome {
        Ok(reference) => {
            tracing::info!(%number, %reference, "a cayma notice was received");
            forms::accepted(format!(
                "{}?{}={}&{STATE_QUERY}=cayma",
                posted.locale.path(&Page::Order(number.clone())),
                order_link::ACCESS_QUERY,
                token.unwrap_or_default()
            ))
        }
        Err(refused) => posted.refused(state.clone(), page, draft, refused).await,
    }
}
