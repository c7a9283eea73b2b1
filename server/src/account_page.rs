//! `POST /hesabim` (`/en/account`): Hesabım's forms, which say in `islem` which they are:
//! profile, password, e-mail address, contact preferences, ending the membership, logging out.
//! Each is a function of its own below; all of them need the member logged in (otherwise the
//! browser is sent to Giriş and back) and answer on the form kit, like membership's doors
//! (`account_forms`).

use app::backend::accounts::auth::{self, AuthSession};
use app::backend::accounts::closure::{self, Closure};
use app::backend::accounts::{
    self, cards, EmailChangeOutcome, MailFor, PasswordChangeOutcome, PreferencesError,
};
use app::backend::AppState;
use app::model::account::{
    AccountMail, CloseDraft, CloseField, EmailChangeDraft, EmailChangeField, MemberView,
    PasswordChangeDraft, PasswordChangeField, PreferencesDraft, ProfileDraft,
};
use app::model::form::{Draft, FieldProblem};
use app::model::Page;
use app::wire::account::{
    ACTION, ACTION_CLOSE, ACTION_EMAIL, ACTION_LOG_OUT, ACTION_PASSWORD, ACTION_PREFERENCES,
    ACTION_PROFILE,
};
use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::account_forms::{
    composer, email_confirm_path, emailed_link, password_problem, AccountRefusal, Posted,
};

/// Hesabım's forms, each to its function.
pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let posted = match Posted::read(&state, request).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let (session, member) = match posted.member(&state, &Page::Account).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match posted.field(ACTION) {
        ACTION_PROFILE => profile(state, posted, member).await,
        ACTION_PASSWORD => password(state, posted, session, member).await,
        ACTION_EMAIL => email(state, posted, member).await,
        ACTION_PREFERENCES => preferences(state, posted, member).await,
        ACTION_CLOSE => close(state, posted, session, member).await,
        ACTION_LOG_OUT => log_out(posted, session).await,
        _ => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// "Mevcut şifreniz hatalı" beside `field`.
fn wrong_password<F: std::fmt::Debug>(field: F) -> AccountRefusal<F> {
    AccountRefusal::Invalid(vec![FieldProblem {
        field,
        message_key: "account.wrong_current",
    }])
}

async fn profile(state: AppState, posted: Posted, member: MemberView) -> Response {
    let draft: ProfileDraft = posted.draft();
    let outcome: Result<(), AccountRefusal<_>> = async {
        let profile = draft.validate().map_err(AccountRefusal::Invalid)?;
        accounts::update_profile(&state.db, member.id, &profile, &posted.origin).await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => posted.to(&Page::Account, "profil"),
        Err(refusal) => posted.refused(state, Page::Account, draft, refusal).await,
    }
}

async fn password(
    state: AppState,
    posted: Posted,
    mut session: AuthSession,
    member: MemberView,
) -> Response {
    let mut draft: PasswordChangeDraft = posted.draft();
    let outcome = async {
        let change = draft.validate().map_err(AccountRefusal::Invalid)?;
        if let Some(problem) =
            password_problem(PasswordChangeField::New, &change.new, &member.email)
        {
            return Err(AccountRefusal::Invalid(vec![problem]));
        }
        let notice = composer(&state, posted.locale, "")(MailFor {
            name: &member.name,
            mail: AccountMail::PasswordChanged,
        });
        let changed = accounts::change_password(
            &state.db,
            &state.limiter,
            member.id,
            &change.current,
            &change.new,
            &notice,
        )
        .await?;
        match changed {
            // This session stays logged in with the new stamp; every other one ends.
            PasswordChangeOutcome::Changed(updated) => auth::log_in(&mut session, &updated)
                .await
                .map_err(AccountRefusal::Unavailable),
            PasswordChangeOutcome::WrongCurrent => {
                Err(wrong_password(PasswordChangeField::Current))
            }
            PasswordChangeOutcome::RateLimited {
                retry_after_seconds,
            } => Err(AccountRefusal::RateLimited {
                retry_after_seconds,
            }),
        }
    }
    .await;
    match outcome {
        Ok(()) => posted.to(&Page::Account, "sifre"),
        Err(refusal) => {
            draft.current.clear();
            draft.new.clear();
            posted.refused(state, Page::Account, draft, refusal).await
        }
    }
}

async fn email(state: AppState, posted: Posted, member: MemberView) -> Response {
    let mut draft: EmailChangeDraft = posted.draft();
    let outcome = async {
        let credentials = draft.validate().map_err(AccountRefusal::Invalid)?;
        let (token, link) = emailed_link(&state, &email_confirm_path(posted.locale));
        let requested = accounts::request_email_change(
            &state.db,
            &state.limiter,
            member.id,
            &credentials,
            &posted.origin,
            &token,
            composer(&state, posted.locale, &link),
        )
        .await?;
        match requested {
            EmailChangeOutcome::Sent => Ok(()),
            EmailChangeOutcome::WrongPassword => Err(wrong_password(EmailChangeField::Password)),
            EmailChangeOutcome::RateLimited {
                retry_after_seconds,
            } => Err(AccountRefusal::RateLimited {
                retry_after_seconds,
            }),
        }
    }
    .await;
    match outcome {
        Ok(()) => posted.to(&Page::Account, "eposta"),
        Err(refusal) => {
            draft.password.clear();
            posted.refused(state, Page::Account, draft, refusal).await
        }
    }
}

async fn preferences(state: AppState, posted: Posted, member: MemberView) -> Response {
    let draft: PreferencesDraft = posted.draft();
    let refusal: AccountRefusal<_> = match draft.validate() {
        Err(problems) => AccountRefusal::Invalid(problems),
        Ok(choice) => {
            let saved =
                accounts::set_marketing(&state.db, member.id, choice, "hesabim", &posted.origin)
                    .await;
            match saved {
                Ok(()) => return posted.to(&Page::Account, "tercihler"),
                Err(PreferencesError::NoPhone) => AccountRefusal::Said("account.sms_needs_phone"),
                Err(PreferencesError::Database(error)) => error.into(),
            }
        }
    };
    posted.refused(state, Page::Account, draft, refusal).await
}

async fn close(
    state: AppState,
    posted: Posted,
    mut session: AuthSession,
    member: MemberView,
) -> Response {
    let mut draft: CloseDraft = posted.draft();
    let outcome = async {
        let password = draft.validate().map_err(AccountRefusal::Invalid)?;
        let notice = composer(&state, posted.locale, "")(MailFor {
            name: &member.name,
            mail: AccountMail::Closed,
        });
        match closure::close(&state.db, member.id, &password, &posted.origin, &notice).await? {
            Closure::Closed => {}
            Closure::WrongPassword => return Err(wrong_password(CloseField::Password)),
        }
        // Nothing of the member may stay at the provider either.
        delete_all_cards(&state, member.id).await;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => {
            // The account can no longer be loaded by any session; this one is ended too.
            let _ = session.logout().await;
            posted.to(&Page::Login, "kapatildi")
        }
        Err(refusal) => {
            draft.password.clear();
            posted.refused(state, Page::Account, draft, refusal).await
        }
    }
}

async fn log_out(posted: Posted, mut session: AuthSession) -> Response {
    match session.logout().await {
        Ok(_) => posted.to(&Page::Login, "cikis"),
        Err(error) => {
            tracing::error!(%error, "a session could not be ended");
            crate::pages::unavailable(posted.locale)
        }
    }
}

/// Deletes every card the provider keeps for a member whose membership ended, each recorded as
/// a withdrawal; a card the provider would not delete now is logged for staff.
async fn delete_all_cards(state: &AppState, customer: i64) {
    let Ok(listed) = cards::list(state.payments.as_ref(), customer).await else {
        tracing::error!(
            customer,
            "a closed member's saved cards could not be listed at the provider"
        );
        return;
    };
    for card in listed {
        let deleted = cards::delete(
            &state.db,
            state.payments.as_ref(),
            customer,
            &card.token,
            "uyelik-sonu",
            None,
        )
        .await;
        if let Err(error) = deleted {
            tracing::error!(%error, customer, "a closed member's saved card could not be deleted");
        }
    }
}
