//! The sandbox payment provider's card page (`/test-odeme/{token}`): what iyzico's hosted
//! Checkout Form page is in production, here labelled as a test page and answered 404 when the
//! shop runs in production (`AppState::sandbox_bank` is `None` there). It stands for another
//! site, so it is plain HTML of its own, not a page of the shop.
//!
//! The card number, expiry and CVC posted here decide the test outcome and are dropped: they are
//! never logged, stored or written back into a page (a refused entry shows an empty form).

use app::backend::payment::sandbox::{
    installment_prices, Bank, BankStep, CardEntry, SandboxPayment, CHALLENGE_CODE, PAGE_PATH,
    TEST_CARDS,
};
use app::backend::AppState;
use app::model::text::escape_html;
use app::model::Locale;
use axum::{
    extract::{Path, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{PAGE_PATH}/{{token}}"), get(page).post(pay))
        .route(&format!("{PAGE_PATH}/{{token}}/3ds"), post(challenge))
        .route(
            &format!("{PAGE_PATH}/{{token}}/kayitli-kart"),
            post(pay_with_kept_card),
        )
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!(
            "<!DOCTYPE html><html lang=\"tr\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"robots\" content=\"noindex\"><link rel=\"icon\" href=\"data:,\">\
             <title>TEST ödeme sayfası</title></head><body>\
             <p role=\"note\"><strong>TEST ÖDEME SAYFASI</strong>: Les Minoria'nın deneme ödeme \
             sağlayıcısı. Gerçek kart bilgisi girmeyin; hiçbir karttan para çekilmez.</p>\
             <main>{body}</main></body></html>"
        ),
    )
        .into_response()
}

async fn found(state: &AppState, token: &str) -> Result<(Bank, SandboxPayment), Response> {
    let Some(bank) = state.sandbox_bank.clone() else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    match bank.payment(token).await {
        Ok(Some(payment)) => Ok((bank, payment)),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(error) => {
            tracing::error!(%error, "the sandbox could not read a payment");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

fn back_to_shop(payment: &SandboxPayment) -> String {
    let separator = if payment.callback_url.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{}{separator}token={}", payment.callback_url, payment.token)
}

/// A kept card as the page offers it: token, family, last four, `MM/YYYY`.
type KeptCard = (String, Option<String>, String, String);

fn card_form(
    state: &AppState,
    payment: &SandboxPayment,
    kept: &[KeptCard],
    problem: Option<&str>,
) -> String {
    let locale = Locale::from_code(Some(&payment.locale));
    let amount = payment.price.format(locale);
    let options: String = installment_prices(payment.price, state.checkout.max_installments)
        .into_iter()
        .map(|row| {
            let label = if row.count == 1 {
                format!("Tek çekim: {}", row.total.format(locale))
            } else {
                format!(
                    "{} taksit × {} (toplam {})",
                    row.count,
                    row.each.format(locale),
                    row.total.format(locale)
                )
            };
            format!(
                "<option value=\"{}\">{}</option>",
                row.count,
                escape_html(&label)
            )
        })
        .collect();
    let cards: String = TEST_CARDS
        .iter()
        .map(|card| {
            let what = match card.behaviour {
                app::backend::payment::sandbox::CardBehaviour::Succeeds => "başarılı".to_string(),
                app::backend::payment::sandbox::CardBehaviour::Declines { code, group, .. } => {
                    format!("red: {code} {group}")
                }
                app::backend::payment::sandbox::CardBehaviour::Challenges => {
                    format!("3-D Secure kodu ister ({CHALLENGE_CODE})")
                }
                app::backend::payment::sandbox::CardBehaviour::TimesOut => {
                    "banka yanıt vermez".to_string()
                }
                app::backend::payment::sandbox::CardBehaviour::NeedsReview => {
                    "başarılı, inceleme ister".to_string()
                }
            };
            format!(
                "<li><code>{}</code> {}</li>",
                card.number,
                escape_html(&what)
            )
        })
        .collect();
    let problem = problem
        .map(|message| format!("<p role=\"alert\">{}</p>", escape_html(message)))
        .unwrap_or_default();
    // Only a member's payment may keep the card; the box starts unticked (the privacy notice:
    // a card is kept only with explicit permission).
    let keep = if payment.card_user_key.is_some() {
        "<p><label><input type=\"checkbox\" name=\"kaydet\" value=\"1\"> Kartımı kaydet \
         (bir sonraki alışverişte yeniden yazmayın; CVC hiçbir zaman saklanmaz)</label></p>"
    } else {
        ""
    };
    // A member's kept cards ("hızlı alışveriş"): pay with one, no number or CVC asked.
    let kept = if kept.is_empty() {
        String::new()
    } else {
        let choices: String = kept
            .iter()
            .enumerate()
            .map(|(index, (token, family, last4, expiry))| {
                format!(
                    "<p><label><input type=\"radio\" name=\"kart_anahtari\" value=\"{}\"{}> {} •••• {} ({})</label></p>",
                    escape_html(token),
                    if index == 0 { " checked" } else { "" },
                    escape_html(family.as_deref().unwrap_or("Kart")),
                    escape_html(last4),
                    escape_html(expiry)
                )
            })
            .collect();
        format!(
            "<h2>Kayıtlı kartlarım</h2><form method=\"post\" action=\"{PAGE_PATH}/{token}/kayitli-kart\">\
             {choices}<p><button type=\"submit\">Kayıtlı kartla öde</button></p></form>\
             <h2>Başka bir kartla öde</h2>",
            token = escape_html(&payment.token)
        )
    };
    format!(
        "<h1>Kartla ödeme</h1><p>Sipariş {order}: <strong>{amount}</strong></p>{problem}{kept}\
         <form method=\"post\" action=\"{PAGE_PATH}/{token}\" autocomplete=\"off\">\
         <p><label for=\"kart\">Kart numarası</label><br><input id=\"kart\" name=\"kart\" inputmode=\"numeric\" required></p>\
         <p><label for=\"ay\">Son kullanma ayı</label><br><input id=\"ay\" name=\"ay\" inputmode=\"numeric\" maxlength=\"2\" required>\
         <label for=\"yil\">yılı</label> <input id=\"yil\" name=\"yil\" inputmode=\"numeric\" maxlength=\"4\" required></p>\
         <p><label for=\"cvc\">CVC</label><br><input id=\"cvc\" name=\"cvc\" inputmode=\"numeric\" maxlength=\"4\" required></p>\
         <p><label for=\"taksit\">Taksit</label><br><select id=\"taksit\" name=\"taksit\">{options}</select></p>\
         {keep}<p><button type=\"submit\">Öde</button></p></form>\
         <p><a href=\"{back}\">Ödemeden mağazaya dön</a></p>\
         <details><summary>Test kartları</summary><p>Son kullanma tarihi ileri bir tarih, CVC herhangi üç hane.</p><ul>{cards}</ul></details>",
        order = escape_html(&payment.conversation_id),
        token = escape_html(&payment.token),
        back = escape_html(&back_to_shop(payment)),
    )
}

async fn page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let (bank, payment) = match found(&state, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if payment.status != "pending" {
        return closed(&payment);
    }
    let kept = bank.kept_cards(&payment).await.unwrap_or_default();
    html(StatusCode::OK, card_form(&state, &payment, &kept, None))
}

fn closed(payment: &SandboxPayment) -> Response {
    html(
        StatusCode::GONE,
        format!(
            "<h1>Bu ödeme sayfası kapandı</h1><p>Süresi doldu ya da ödeme tamamlandı.</p>\
             <p><a href=\"{}\">Mağazaya dön</a></p>",
            escape_html(&back_to_shop(payment))
        ),
    )
}

fn go_back(payment: &SandboxPayment) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, back_to_shop(payment))],
    )
        .into_response()
}

async fn form_fields(request: Request) -> Vec<(String, String)> {
    match axum::body::to_bytes(request.into_body(), 4096).await {
        Ok(bytes) => form_urlencoded::parse(&bytes).into_owned().collect(),
        Err(_) => Vec::new(),
    }
}

fn take(fields: &mut Vec<(String, String)>, name: &str) -> String {
    fields
        .iter()
        .position(|(key, _)| key == name)
        .map(|at| fields.swap_remove(at).1)
        .unwrap_or_default()
}

async fn pay(
    State(state): State<AppState>,
    Path(token): Path<String>,
    request: Request,
) -> Response {
    let (bank, payment) = match found(&state, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let mut fields = form_fields(request).await;
    let entry = CardEntry {
        number: take(&mut fields, "kart"),
        expiry_month: take(&mut fields, "ay"),
        expiry_year: take(&mut fields, "yil"),
        cvc: take(&mut fields, "cvc"),
        installment: take(&mut fields, "taksit").parse().unwrap_or(1),
        keep_card: take(&mut fields, "kaydet") == "1",
    };
    let step = bank
        .pay(&token, &entry, state.checkout.max_installments)
        .await;
    drop(entry);
    match step {
        Ok(BankStep::Decided) => go_back(&payment),
        Ok(BankStep::Challenge) => html(
            StatusCode::OK,
            format!(
                "<h1>Bankanızın 3-D Secure doğrulaması (TEST)</h1>\
                 <p>Telefonunuza gelen kodu girin. Test kodu: <code>{CHALLENGE_CODE}</code></p>\
                 <form method=\"post\" action=\"{PAGE_PATH}/{token}/3ds\">\
                 <p><label for=\"kod\">Doğrulama kodu</label><br><input id=\"kod\" name=\"kod\" inputmode=\"numeric\" required></p>\
                 <p><button type=\"submit\">Onayla</button></p></form>",
                token = escape_html(&token)
            ),
        ),
        Ok(BankStep::Silent) => html(
            StatusCode::ACCEPTED,
            format!(
                "<h1>Bankanızdan yanıt bekleniyor</h1><p>Banka ödemeyi henüz sonuçlandırmadı. \
                 Ödeme sayfasının süresi dolduğunda sonuçlanmamış ödeme iptal sayılır.</p>\
                 <p><a href=\"{}\">Mağazaya dön</a></p>",
                escape_html(&back_to_shop(&payment))
            ),
        ),
        Ok(BankStep::Invalid(key)) => invalid(&state, &bank, &payment, key).await,
        Ok(BankStep::Closed) => closed(&payment),
        Err(error) => {
            tracing::error!(%error, "the sandbox could not record a payment");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The card page again with what was wrong.
async fn invalid(state: &AppState, bank: &Bank, payment: &SandboxPayment, key: &str) -> Response {
    let kept = bank.kept_cards(payment).await.unwrap_or_default();
    let problem = app::i18n::text(Locale::Tr, key);
    html(
        StatusCode::UNPROCESSABLE_ENTITY,
        card_form(state, payment, &kept, Some(&problem)),
    )
}

/// "Kayıtlı kartla öde": one of the member's kept cards, by its token.
async fn pay_with_kept_card(
    State(state): State<AppState>,
    Path(token): Path<String>,
    request: Request,
) -> Response {
    let (bank, payment) = match found(&state, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let mut fields = form_fields(request).await;
    let card_token = take(&mut fields, "kart_anahtari");
    match bank.pay_with_kept_card(&token, &card_token).await {
        Ok(BankStep::Decided) => go_back(&payment),
        Ok(BankStep::Invalid(key)) => invalid(&state, &bank, &payment, key).await,
        Ok(_) => closed(&payment),
        Err(error) => {
            tracing::error!(%error, "the sandbox could not record a payment");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn challenge(
    State(state): State<AppState>,
    Path(token): Path<String>,
    request: Request,
) -> Response {
    let (bank, payment) = match found(&state, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let mut fields = form_fields(request).await;
    let code = take(&mut fields, "kod");
    match bank.complete_challenge(&token, &code).await {
        Ok(BankStep::Decided) => go_back(&payment),
        Ok(_) => closed(&payment),
        Err(error) => {
            tracing::error!(%error, "the sandbox could not record a 3-D Secure answer");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
