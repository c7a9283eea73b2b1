//! The server binary as an operator meets it: bad configuration ends with one clear line and a
//! non-zero exit; a good one serves, and SIGTERM stops it cleanly.

mod support;

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    time::{Duration, Instant},
};

use support::process::{
    assert_one_clear_line, free_addr, http_get, run_to_failure, server_command, stop,
    wait_until_healthy,
};

#[test]
fn an_unknown_database_scheme_is_refused_with_a_clear_line() {
    let output = run_to_failure(server_command(
        "mysql://shop:s3cret@localhost/shop",
        &free_addr().to_string(),
    ));
    assert_one_clear_line(&output, "DATABASE_URL must start with sqlite:");
}

#[test]
fn an_unparseable_postgres_url_is_refused_without_leaking_the_password() {
    let output = run_to_failure(server_command(
        "postgres://shop:s3cret@db.example:notaport/shop",
        &free_addr().to_string(),
    ));
    assert_one_clear_line(&output, "DATABASE_URL");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("s3cret"));
}

#[test]
fn an_unwritable_data_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"").unwrap();
    let url = format!("sqlite://{}/shop.db", blocker.display());
    let output = run_to_failure(server_command(&url, &free_addr().to_string()));
    assert_one_clear_line(&output, &blocker.display().to_string());
}

#[test]
fn a_port_in_use_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let url = format!("sqlite://{}/shop.db", dir.path().display());
    let output = run_to_failure(server_command(&url, &addr.to_string()));
    assert_one_clear_line(&output, &format!("cannot listen on {addr}"));
}

#[test]
fn a_malformed_address_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/shop.db", dir.path().display());
    let output = run_to_failure(server_command(&url, "localhost-3000"));
    assert_one_clear_line(&output, "LEPTOS_SITE_ADDR is \"localhost-3000\"");
}

#[test]
fn the_default_database_is_a_sqlite_file_under_data() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let mut command = server_command("", &addr.to_string());
    command.current_dir(dir.path());
    let mut child = command.spawn().unwrap();
    wait_until_healthy(&mut child, addr);
    assert!(dir.path().join("data/lesminoria.db").is_file());
    stop(child);
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_addr();
    let url = format!("sqlite://{}/shop.db", dir.path().display());
    let mut child = server_command(&url, &addr.to_string()).spawn().unwrap();
    wait_until_healthy(&mut child, addr);
    let (status, page) = http_get(addr, "/").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("LES MENÜ"));
    let output = stop(child);
    assert!(String::from_utf8_lossy(&output.stderr).contains("stopped"));
}

#[test]
fn files_on_a_kept_alive_connection_answer_without_waiting_for_delayed_acks() {
    // A site root with a stylesheet-sized and an icon-sized file, as cargo-leptos writes one.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("style.css"), "a{color:red}\n".repeat(1500)).unwrap();
    std::fs::write(
        site.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let addr = free_addr();
    let url = format!("sqlite://{}/shop.db", dir.path().display());
    let mut command = server_command(&url, &addr.to_string());
    command.env("LEPTOS_SITE_ROOT", &site);
    let mut child = command.spawn().unwrap();
    wait_until_healthy(&mut child, addr);

    // One connection, many requests, as a browser fetches a page's files. With Nagle's
    // algorithm on, each answer after the first waits ~40 ms for the client's delayed ACK.
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut timings = Vec::new();
    for round in 0..30 {
        let path = if round % 2 == 0 {
            "/style.css"
        } else {
            "/favicon.svg"
        };
        let started = Instant::now();
        // One write, as a browser sends a request (several small writes would meet the
        // client's own Nagle delay).
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        read_one_response(&mut stream);
        timings.push(started.elapsed());
    }
    stop(child);
    timings.sort();
    let median = timings[timings.len() / 2];
    assert!(
        median < Duration::from_millis(20),
        "median {median:?} per file on a kept-alive connection: {timings:?}"
    );
}

/// Reads one HTTP/1.1 response with a `content-length` from `stream`.
fn read_one_response(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .expect("a content-length")
        .trim()
        .parse()
        .unwrap();
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_binary_serves_from_postgresql() {
    let Some(admin_url) = app::backend::testing::postgres_url() else {
        eprintln!("PostgreSQL skipped: TEST_POSTGRES_URL is not set");
        return;
    };
    let test = app::backend::testing::fresh_postgres(&admin_url).await;
    let addr = free_addr();
    let mut child = server_command(&test.url, &addr.to_string())
        .spawn()
        .unwrap();
    tokio::task::block_in_place(|| wait_until_healthy(&mut child, addr));
    let output = stop(child);
    assert!(output.status.success());
    test.finish().await;
}

#[test]
fn in_production_a_missing_database_stops_start_up_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.db");
    let url = format!("sqlite://{}", file.display());
    let mut command = server_command(&url, &free_addr().to_string());
    command.env("LEPTOS_ENV", "PROD");
    let output = run_to_failure(command);
    assert_one_clear_line(&output, "has never been set up");
    assert_one_clear_line(&output, "LESMINORIA_CREATE_DATABASE=1");
    assert!(!file.exists(), "an empty database was left behind");
}

#[test]
fn in_production_a_new_shop_starts_only_when_asked_and_without_the_demo_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/shop.db", dir.path().display());
    let addr = free_addr();
    let mut command = server_command(&url, &addr.to_string());
    command
        .env("LEPTOS_ENV", "PROD")
        .env("LESMINORIA_CREATE_DATABASE", "1");
    let mut child = command.spawn().unwrap();
    wait_until_healthy(&mut child, addr);
    let (status, _) = http_get(addr, "/urun/keten-gomlek-elbise").unwrap();
    assert_eq!(status, 404, "the demo catalogue was loaded in production");
    stop(child);

    // The database now exists: the next production start needs no permission.
    let mut child = server_command(&url, &addr.to_string())
        .env("LEPTOS_ENV", "PROD")
        .spawn()
        .unwrap();
    wait_until_healthy(&mut child, addr);
    stop(child);
}

#[test]
fn the_demo_catalogue_is_loaded_outside_production_or_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/shop.db", dir.path().display());
    let addr = free_addr();
    let mut command = server_command(&url, &addr.to_string());
    command
        .env("LEPTOS_ENV", "PROD")
        .env("LESMINORIA_DEMO_CATALOGUE", "1");
    let mut child = command.spawn().unwrap();
    wait_until_healthy(&mut child, addr);
    let (status, _) = http_get(addr, "/urun/keten-gomlek-elbise").unwrap();
    assert_eq!(status, 200);
    stop(child);
}

#[test]
fn a_bad_switch_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/shop.db", dir.path().display());
    let mut command = server_command(&url, &free_addr().to_string());
    command.env("LESMINORIA_DEMO_CATALOGUE", "maybe");
    let output = run_to_failure(command);
    assert_one_clear_line(&output, "LESMINORIA_DEMO_CATALOGUE is \"maybe\"");
}
