//! Order e-mails through the outbox: composed from the stored order and its accepted documents,
//! delivered over real SMTP (a local sink speaking the protocol), retried with backoff when the
//! relay is down, and kept in the database when no relay is configured.

mod support;

use std::sync::{Arc, Mutex};

use app::backend::mail::SmtpSender;
use app::backend::testing::fresh_databases;
use app::backend::{AppState, Db};
use leptos::config::get_configuration;
use support::shopper::{location, variant_with_stock, Shopper};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A local SMTP server that accepts every message and keeps its DATA.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let command = line.to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO")
                    {
                        b"250 sink\r\n"
                    } else if command.starts_with("DATA") {
                        write.write_all(b"354 go ahead\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            data.push_str(&line);
                            data.push('\n');
                        }
                        kept.lock().unwrap().push(data);
                        b"250 queued\r\n"
                    } else if command.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

fn state_for(db: Db, smtp: Option<SmtpSender>) -> AppState {
    let leptos_options = get_configuration(None).unwrap().leptos_options;
    let mut state = AppState::new(leptos_options, db);
    state.configure_payments(support::ORIGIN.into(), false);
    state.smtp = smtp;
    state
}

async fn outbox(db: &Db) -> Vec<(String, i64, Option<String>, Option<String>)> {
    sqlx::query_as("SELECT status, attempts, subject, last_error FROM outbox_emails ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

/// Places a havale order; its number.
async fn place_order(state: &AppState, ip: &str) -> String {
    let variant = variant_with_stock(&state.db, 5).await;
    let router = server::router::build(state.clone());
    let shopper = Shopper::start(&router, ip, &format!("1|{variant}x1")).await;
    let documents = shopper.up_to_review("havale").await;
    let address = location(&shopper.confirm(&documents).await);
    address
        .strip_prefix("/siparis/")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_confirmation_reaches_a_real_smtp_server_with_the_documents() {
    for test in fresh_databases().await {
        let (port, received) = smtp_sink().await;
        let sender = SmtpSender::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Les Minoria <hello@lesminoria.com>",
        )
        .unwrap();
        let state = state_for(test.db.clone(), Some(sender));
        let number = place_order(&state, "203.0.113.30").await;
        let pass = server::mail_task::pass(&state).await.unwrap();
        assert_eq!(
            (pass.composed, pass.sent, pass.failed),
            (1, 1, 0),
            "{}",
            test.label
        );
        let rows = outbox(&test.db).await;
        assert_eq!(rows[0].0, "sent");
        let mail = received.lock().unwrap().join("\n");
        assert!(mail.contains("ayse@example.com"), "{mail}");
        assert!(
            mail.contains(&number),
            "the subject and link name the order"
        );
        assert!(mail.contains("erisim="), "the signed link");
        // Nothing is sent twice.
        let again = server::mail_task::pass(&state).await.unwrap();
        assert_eq!((again.composed, again.sent), (0, 0));
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_is_down_means_a_retry_later_and_none_means_the_outbox_keeps_it() {
    for test in fresh_databases().await {
        // Nothing listens on this port.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let sender =
            SmtpSender::new(&format!("smtp://127.0.0.1:{port}"), "hello@lesminoria.com").unwrap();
        let state = state_for(test.db.clone(), Some(sender));
        place_order(&state, "203.0.113.31").await;
        let pass = server::mail_task::pass(&state).await.unwrap();
        assert_eq!((pass.sent, pass.failed), (0, 1), "{}", test.label);
        let rows = outbox(&test.db).await;
        assert_eq!((rows[0].0.as_str(), rows[0].1), ("pending", 1));
        assert!(rows[0].3.is_some(), "the error is kept for staff");
        // Not due again before its backoff.
        let pass = server::mail_task::pass(&state).await.unwrap();
        assert_eq!((pass.sent, pass.failed), (0, 0));

        // Without SMTP the message is composed and waits, readable in the database.
        let unsent = state_for(test.db.clone(), None);
        place_order(&unsent, "203.0.113.32").await;
        let pass = server::mail_task::pass(&unsent).await.unwrap();
        assert_eq!((pass.composed, pass.sent), (1, 0));
        let rows = outbox(&test.db).await;
        assert_eq!(rows.len(), 2);
        assert!(rows[1]
            .2
            .as_deref()
            .unwrap()
            .starts_with("Siparişiniz alındı: LM-"));
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_link_is_delivered_and_then_no_copy_is_kept() {
    for test in fresh_databases().await {
        let (port, received) = smtp_sink().await;
        let sender = SmtpSender::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Les Minoria <hello@lesminoria.com>",
        )
        .unwrap();
        let state = state_for(test.db.clone(), Some(sender));
        let router = server::router::build(state.clone());
        let form = [
            ("ad", "Ayşe Yılmaz"),
            ("eposta", "link@example.com"),
            ("sifre", "mavi deniz kıyısında sabah"),
        ];
        let response =
            support::post_form(&router, "/uye-ol", &form, "203.0.113.31", None, &[]).await;
        assert_eq!(location(&response), "/uye-ol?durum=gonderildi");
        let response = support::post_form(
            &router,
            "/sifremi-unuttum",
            &[("eposta", "link@example.com")],
            "203.0.113.31",
            None,
            &[],
        )
        .await;
        assert_eq!(location(&response), "/sifremi-unuttum?durum=gonderildi");
        let pass = server::mail_task::pass(&state).await.unwrap();
        assert_eq!((pass.composed, pass.sent), (0, 2), "{}", test.label);
        let mail = received.lock().unwrap().join("\n");
        assert!(mail.contains("/uye-ol/dogrula?anahtar="), "{mail}");
        assert!(mail.contains("/sifre-yenile?anahtar="), "{mail}");
        let kept: Vec<(String, String)> =
            sqlx::query_as("SELECT status, body_text || body_html FROM outbox_emails ORDER BY id")
                .fetch_all(test.db.pool())
                .await
                .unwrap();
        for (status, body) in kept {
            assert_eq!(status, "sent");
            assert!(
                !body.contains("anahtar="),
                "a delivered link is not kept: {body}"
            );
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_mail_tasks_send_each_message_once() {
    for test in fresh_databases().await {
        let (port, received) = smtp_sink().await;
        let sender = || {
            SmtpSender::new(
                &format!("smtp://127.0.0.1:{port}"),
                "Les Minoria <hello@lesminoria.com>",
            )
            .unwrap()
        };
        // Two processes on one database, each with its own mail task.
        let first = state_for(test.db.clone(), Some(sender()));
        let second = state_for(test.db.clone(), Some(sender()));
        for n in 0..6 {
            place_order(&first, &format!("203.0.113.{}", 40 + n)).await;
        }
        for _ in 0..3 {
            let (a, b) = tokio::join!(
                server::mail_task::pass(&first),
                server::mail_task::pass(&second)
            );
            a.unwrap();
            b.unwrap();
        }
        let rows = outbox(&test.db).await;
        assert_eq!(rows.len(), 6, "{}", test.label);
        assert!(
            rows.iter()
                .all(|(status, attempts, _, _)| status == "sent" && *attempts == 1),
            "{rows:?}"
        );
        assert_eq!(
            received.lock().unwrap().len(),
            6,
            "each message was sent once, by one of the two"
        );
        test.finish().await;
    }
}
