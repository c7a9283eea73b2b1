//! What slow, idle and greedy connections can do to the real server binary: each is cut off or
//! turned away within its stated bound, and a shopper's page still answers meanwhile.

mod support;

use std::{
    net::SocketAddr,
    process::Child,
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
};

use support::process::{free_addr, http_get, server_command, stop, wait_until_healthy};

/// A server with `extra` settings on a fresh SQLite file; the folder lives as long as the guard.
fn start(extra: &[(&str, &str)]) -> (Child, SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let url = format!("sqlite://{}/shop.db", dir.path().display());
    let mut command = server_command(&url, &addr.to_string());
    for (name, value) in extra {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    wait_until_healthy(&mut child, addr);
    (child, addr, dir)
}

/// A connection from `source` (any 127.x.y.z address reaches the server over loopback), so that
/// a test can be several clients.
async fn connect_from(source: &str, addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    socket.connect(addr).await.unwrap()
}

/// Reads until the server closes the connection or `limit` passes; how long it took, and what
/// it sent.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> (Option<Duration>, String) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let left = limit.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return (
                    Some(started.elapsed()),
                    String::from_utf8_lossy(&received).into_owned(),
                )
            }
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            Err(_) => return (None, String::from_utf8_lossy(&received).into_owned()),
        }
    }
}

/// A shopper's page over a fresh connection, timed.
fn shopper_page(addr: SocketAddr) -> (u16, Duration) {
    let started = Instant::now();
    let (status, _) = http_get(addr, "/").expect("the shopper's page answers");
    (status, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slowloris_client_and_an_idle_connection_are_cut_off_at_the_header_deadline() {
    let (child, addr, _dir) = start(&[("LESMINORIA_HEADER_TIMEOUT_SECONDS", "2")]);

    // Drips a header line every half second and never finishes the request.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: shop\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut cut_off = None;
    for line in 0..40 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let header = format!("X-Slow-{line}: a\r\n");
        let written = slow.write_all(header.as_bytes()).await;
        let mut probe = [0u8; 1];
        let closed = matches!(
            tokio::time::timeout(Duration::from_millis(1), slow.read(&mut probe)).await,
            Ok(Ok(0)) | Ok(Err(_))
        );
        if written.is_err() || closed {
            cut_off = Some(started.elapsed());
            break;
        }
    }
    let cut_off = cut_off.expect("the slow client was never cut off");
    assert!(
        cut_off <= Duration::from_secs(4),
        "cut off after {cut_off:?}"
    );

    // Connects and sends nothing; then a kept-alive connection that goes quiet after a request.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    let (closed, _) = until_closed(&mut idle, Duration::from_secs(6)).await;
    let closed = closed.expect("an idle connection stayed open");
    assert!(closed >= Duration::from_millis(1500), "{closed:?}");
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: shop\r\n\r\n")
        .await
        .unwrap();
    let (closed, answer) = until_closed(&mut kept, Duration::from_secs(6)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        closed.is_some(),
        "a quiet kept-alive connection stayed open"
    );
    stop(child);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopper_is_served_while_a_thousand_slow_connections_are_open() {
    let (child, addr, _dir) = start(&[("LESMINORIA_HEADER_TIMEOUT_SECONDS", "20")]);
    let mut slow = Vec::new();
    // Eight clients of 125 connections each (the per-client cap is 128), every one holding an
    // unfinished request head.
    for client in 0..8 {
        let source = format!("127.0.0.{}", client + 2);
        for _ in 0..125 {
            let mut stream = connect_from(&source, addr).await;
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: shop\r\nX-Unfinished: ")
                .await
                .unwrap();
            slow.push(stream);
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, took) = tokio::task::spawn_blocking(move || shopper_page(addr))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "the page took {took:?}");
    // They were all still open: the server was holding them, not refusing them.
    let mut still_open = 0;
    for stream in &mut slow {
        let mut probe = [0u8; 1];
        if tokio::time::timeout(Duration::from_millis(1), stream.read(&mut probe))
            .await
            .is_err()
        {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 1000);
    drop(slow);
    stop(child);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_hold_more_than_its_share_of_connections() {
    let (child, addr, _dir) = start(&[("LESMINORIA_MAX_CONNECTIONS_PER_CLIENT", "5")]);
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(connect_from("127.0.0.3", addr).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut sixth = connect_from("127.0.0.3", addr).await;
    let (closed, answer) = until_closed(&mut sixth, Duration::from_secs(3)).await;
    assert!(closed.is_some(), "the sixth connection was kept");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("retry-after: 5"), "{answer}");
    assert!(answer.contains("çok yoğun"), "{answer}");
    // Another client is not affected, and a place comes back when a connection closes.
    let (status, _) = tokio::task::spawn_blocking(move || shopper_page(addr))
        .await
        .unwrap();
    assert_eq!(status, 200);
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = connect_from("127.0.0.3", addr).await;
    again
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (_, answer) = until_closed(&mut again, Duration::from_secs(3)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    stop(child);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_request_head_is_refused_without_being_kept() {
    let (child, addr, _dir) = start(&[]);
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: shop\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    // The server may close before taking it all.
    let _ = stream.write_all(huge.as_bytes()).await;
    let (closed, answer) = until_closed(&mut stream, Duration::from_secs(3)).await;
    assert!(closed.is_some(), "the connection was kept");
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    stop(child);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_form_body_is_answered_instead_of_holding_the_handler() {
    let (child, addr, _dir) = start(&[]);
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /iletisim HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nkonu=soru"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let (closed, answer) = until_closed(&mut stream, Duration::from_secs(15)).await;
    assert!(closed.is_some(), "the stalled body held the connection");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    stop(child);
}
