//! The sandbox provider's webhooks, sent to this shop's own listening address over HTTP as
//! iyzico would send them (`POST /odeme/bildirim` with `X-IYZ-SIGNATURE-V3`), so the shop's
//! webhook handler is exercised exactly as in production: the signature check, the signed
//! retrieve, the one settlement. Each decided payment is announced twice, the second time a
//! minute late (`payment::sandbox::WEBHOOK_REPEAT_SECONDS`); an undecided one never.
//! Runs only while the sandbox is enabled (never in production).

use std::net::SocketAddr;
use std::time::Duration;

use app::backend::payment::sandbox::{Bank, OwedWebhook};
use app::backend::time;
use app::wire::checkout::{WEBHOOK_PATH, WEBHOOK_SIGNATURE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How often the queue is looked at.
const EVERY: Duration = Duration::from_secs(1);
/// A delivery that takes longer counts as not accepted.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

pub async fn run(bank: Bank, shop: SocketAddr) {
    let mut every = tokio::time::interval(EVERY);
    loop {
        every.tick().await;
        let now = time::now_seconds();
        let owed = match bank.due_webhooks(now).await {
            Ok(owed) => owed,
            Err(error) => {
                tracing::warn!(%error, "the sandbox could not read the webhooks it owes");
                continue;
            }
        };
        for webhook in owed {
            let accepted = tokio::time::timeout(DELIVERY_TIMEOUT, deliver(shop, &webhook))
                .await
                .unwrap_or(false);
            if !accepted {
                if let Err(error) = bank.webhook_not_accepted(webhook.id, now).await {
                    tracing::warn!(%error, "the sandbox could not queue a webhook again");
                }
            }
        }
    }
}

/// One POST over a connection of its own; whether the shop answered 2xx.
async fn deliver(shop: SocketAddr, webhook: &OwedWebhook) -> bool {
    let Ok(mut stream) = tokio::net::TcpStream::connect(shop).await else {
        return false;
    };
    let request = format!(
        "POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: {shop}\r\nContent-Type: application/json\r\n\
         {WEBHOOK_SIGNATURE}: {signature}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{body}",
        signature = webhook.signature,
        length = webhook.body.len(),
        body = webhook.body,
    );
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    let Ok(read) = stream.read(&mut head).await else {
        return false;
    };
    // "HTTP/1.1 200 OK": the status code's first digit.
    head[..read].get(9) == Some(&b'2')
}
