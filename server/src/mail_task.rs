//! Delivers the outbox (`app::backend::mail`) and the İYS queue: every few seconds it composes what is owed and,
//! when SMTP is configured, sends what is due. A failed send waits for its backoff; the task
//! itself never stops for one.

use app::backend::{mail, orders, AppState};
use app::model::Locale;
use app::pages::cayma::{cayma_mail, CaymaMail};

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub composed: usize,
    pub sent: usize,
    pub failed: usize,
}

pub async fn run(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        every.tick().await;
        if let Err(error) = pass(&state).await {
            tracing::warn!(%error, "the outbox could not be read");
        }
        // Consent changes owed to İYS travel the same way, at the same pace.
        if let Err(error) =
            app::backend::accounts::iys::deliver(&state.db, state.iys.as_ref()).await
        {
            tracing::warn!(%error, "the İYS queue could not be read");
        }
    }
}

pub async fn pass(state: &AppState) -> Result<Pass, sqlx::Error> {
    let mut done = Pass::default();
    for (id, number, locale, kind, cayma_request) in mail::to_compose(&state.db).await? {
        let Some(order) = orders::find_by_number(&state.db, &number).await? else {
            continue;
        };
        let locale = Locale::from_code(Some(&locale));
        let link = format!(
            "{}{}",
            state.public_url,
            crate::checkout_form::order_address(state, locale, &number)
        );
        let cayma = |mail: CaymaMail| {
            let request = order
                .cayma
                .requests
                .iter()
                .find(|request| Some(request.id) == cayma_request)?;
            Some(cayma_mail(
                mail,
                &order,
                request,
                &link,
                &state.seller,
                locale,
            ))
        };
        let composed = match kind.as_str() {
            "cayma_received" => cayma(CaymaMail::Received),
            "cayma_refunded" => cayma(CaymaMail::Refunded),
            "order_update" => Some(app::pages::order_mail::order_update(
                &order,
                &link,
                &state.seller,
                locale,
            )),
            _ => {
                let documents = mail::order_documents(&state.db, &number).await?;
                Some(app::pages::order_mail::order_confirmation(
                    &order,
                    &documents,
                    &link,
                    &state.seller,
                    locale,
                ))
            }
        };
        let Some(composed) = composed else {
            tracing::error!(outbox = id, "a cayma e-mail names no request of its order");
            continue;
        };
        mail::store_composed(
            &state.db,
            id,
            &composed.subject,
            &composed.text,
            &composed.html,
        )
        .await?;
        done.composed += 1;
    }
    let Some(sender) = &state.smtp else {
        return Ok(done);
    };
    for message in mail::due(&state.db, app::backend::time::now_seconds()).await? {
        let outcome = sender.send(&message).await;
        match &outcome {
            Ok(()) => done.sent += 1,
            Err(error) => {
                tracing::warn!(%error, outbox = message.id, "an e-mail could not be sent; it will be retried");
                done.failed += 1;
            }
        }
        mail::record_attempt(&state.db, &message, outcome).await?;
    }
    Ok(done)
}
