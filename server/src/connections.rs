//! The listening socket and what one connection may cost. `axum::serve` sets no timer, so hyper's
//! header timeout never ran: a half-sent request or an idle kept-alive connection stayed open for
//! minutes, about 20,000 of them exhausted the file handles, and 1,000 connections each holding a
//! 390 kB unfinished header pinned 480 MB. This accept loop gives every connection a deadline for
//! its request head, a small bound on that head, and a place in two counts (all connections, and
//! one client's), so that one visitor cannot take the shop from the others.
//!
//! Bodies and whole requests have their own deadlines, set as layers in `router.rs`
//! ([`BODY_TIMEOUT`], [`REQUEST_TIMEOUT`]).

use std::{
    collections::HashMap,
    future::Future,
    net::IpAddr,
    pin::Pin,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    task::{Context, Poll},
    time::Duration,
};

use app::backend::rate_limit::ClientGroup;
use axum::{body::Body, extract::ConnectInfo, http::Request, Router};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore},
};
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// Time between two frames of a request body: a form is a few kilobytes, sent at once by a
/// browser; a body that stalls for this long is a slow client holding the handler.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Time for a whole request, body and answer included. The database waits at most a few seconds
/// for a lock or a connection (`db.rs`); anything longer is a fault, answered with the shop's
/// own 503 page instead of holding the visitor and a connection.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a write to a client may stay blocked (the client reads nothing, its window is full)
/// before the connection is dropped: the request deadlines end when the answer starts, and a
/// client that never reads would otherwise hold its connection and buffers for ever.
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How long in-flight requests may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// What one connection may hold, and how many may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time to send a whole request head, from the first byte awaited: on a new connection and
    /// between requests on a kept-alive one (so it is also the idle timeout). A browser sends a
    /// head in one packet; a slowloris client dripping bytes is cut off when it runs out.
    pub header_timeout: Duration,
    /// Largest request head (request line and headers). The shop's own heads are under 2 kB
    /// (cookies included); hyper's default of ~400 kB let each slow connection pin that much.
    /// Anything larger is answered 431.
    pub max_head_bytes: usize,
    /// Open connections in all. Each costs a file handle and some memory; past this, new ones
    /// are answered with a short 503 and closed while the rest are served.
    pub max_connections: usize,
    /// Open connections from one client (one IPv4 address, one IPv6 /64, which a single home or
    /// phone is given). Browsers open six per host; the trusted proxies, which carry everyone's
    /// connections, are not counted.
    pub max_per_client: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_head_bytes: 16 * 1024,
            max_connections: 8192,
            max_per_client: 128,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets in-flight requests finish
/// (for at most [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    uncounted: Vec<IpAddr>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let gate = Gate::new(limits, uncounted);
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // hyper refuses buffers under 8 kB.
        .max_buf_size(limits.max_head_bytes.max(8192));

    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file handles (EMFILE) and the like: wait instead of spinning.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(admission) = gate.admit(peer.ip()) else {
            // A bounded number of refusals are answered; past that, the socket is just closed.
            if let Ok(slot) = gate.turn_away_slots.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    turn_away(stream).await;
                    drop(slot);
                });
            }
            continue;
        };
        // Without TCP_NODELAY, the end of a response on a kept-alive connection waits for the
        // client's delayed ACK (Nagle's algorithm): about 40 ms for every static file after the
        // first on a connection, which every phone's first visit pays.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "could not set TCP_NODELAY on a connection");
        }
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.map(|body| Body::new(TimeoutBody::new(BODY_TIMEOUT, body)))
            });
        let connection = http.serve_connection(
            TokioIo::new(StallLimited::new(stream)),
            TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients going away or timing out: normal on the internet.
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
            drop(admission);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections were still open after the shutdown grace period");
    }
}

/// A full shop answers new connections with a short page rather than a reset: it writes the
/// answer, says it will send nothing more, and reads what the client sent for a moment (closing
/// with unread data would reset the connection before the answer is read).
async fn turn_away(mut stream: TcpStream) {
    const TEXT: &str =
        "Les Minoria şu anda çok yoğun. Lütfen birkaç saniye sonra yeniden deneyin.\n";
    let busy = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
         retry-after: 5\r\ncache-control: no-store\r\nconnection: close\r\n\
         content-length: {}\r\n\r\n{TEXT}",
        TEXT.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(busy.as_bytes()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < 64 * 1024 {
            match stream.read(&mut sink).await? {
                0 => break,
                read => drained += read,
            }
        }
        Ok::<_, std::io::Error>(())
    })
    .await;
}

/// Logs a refused connection at most once a second: a flood of them must not flood the log.
fn warn_refused(ip: IpAddr, why: &'static str, limit: usize) {
    static LAST: AtomicU64 = AtomicU64::new(0);
    static SINCE: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let unlogged = SINCE.fetch_add(1, Ordering::Relaxed);
    if LAST.swap(now, Ordering::Relaxed) != now {
        SINCE.store(0, Ordering::Relaxed);
        tracing::warn!(%ip, limit, refused_since_last_line = unlogged, "connection refused: {why}");
    }
}

/// A stream whose writes may not stay blocked longer than [`WRITE_STALL_TIMEOUT`].
struct StallLimited<T> {
    inner: T,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<T> StallLimited<T> {
    fn new(inner: T) -> Self {
        Self {
            inner,
            stalled: None,
        }
    }

    /// `progress` is what the inner stream answered; pending for too long becomes an error.
    fn watch<R>(
        &mut self,
        progress: Poll<std::io::Result<R>>,
        cx: &mut Context<'_>,
    ) -> Poll<std::io::Result<R>> {
        if progress.is_ready() {
            self.stalled = None;
            return progress;
        }
        let stalled = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_STALL_TIMEOUT)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for StallLimited<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for StallLimited<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let progress = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(progress, cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let progress = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(progress, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let progress = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(progress, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Raises this process's open-file limit to what the system allows, and fits `limits` under it
/// (two file handles per connection, its socket and a static file it may be sent, and some for
/// the database, logs and refusals being answered): a cap
/// above the limit would be met as failing accepts instead of as the shop's 503.
pub fn fit_to_file_limit(limits: ConnectionLimits) -> ConnectionLimits {
    const OTHER_FILES: u64 = 256;
    let available = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(%error, "could not read or raise the open-file limit");
            return limits;
        }
    };
    // A connection may have a static file open as well: two handles each.
    let most = (available.saturating_sub(OTHER_FILES) / 2).max(1) as usize;
    if limits.max_connections <= most {
        return limits;
    }
    tracing::warn!(
        configured = limits.max_connections,
        open_file_limit = available,
        using = most,
        "fewer connections than configured: the open-file limit is lower (raise it with ulimit -n or LimitNOFILE)"
    );
    ConnectionLimits {
        max_connections: most,
        max_per_client: limits.max_per_client.min(most),
        ..limits
    }
}

/// The two counts a connection must fit in.
struct Gate {
    limits: ConnectionLimits,
    uncounted: Vec<IpAddr>,
    all: Arc<Semaphore>,
    per_client: ClientCounts,
    /// Refused connections being answered at once; past these, refusals are silent closes.
    turn_away_slots: Arc<Semaphore>,
}

/// Open connections per client, shared by the accept loop and the connections' admissions.
type ClientCounts = Arc<Mutex<HashMap<ClientGroup, usize>>>;

/// Held while a connection is open; gives its places back when dropped.
struct Admission {
    _place: OwnedSemaphorePermit,
    client: Option<(ClientGroup, ClientCounts)>,
}

impl Gate {
    fn new(limits: ConnectionLimits, uncounted: Vec<IpAddr>) -> Self {
        Self {
            limits,
            uncounted: uncounted.into_iter().map(|ip| ip.to_canonical()).collect(),
            all: Arc::new(Semaphore::new(limits.max_connections)),
            per_client: Arc::default(),
            turn_away_slots: Arc::new(Semaphore::new(64)),
        }
    }

    fn admit(&self, ip: IpAddr) -> Option<Admission> {
        let Ok(place) = self.all.clone().try_acquire_owned() else {
            warn_refused(
                ip,
                "the shop is at its connection limit",
                self.limits.max_connections,
            );
            return None;
        };
        let ip = ip.to_canonical();
        if self.uncounted.contains(&ip) {
            return Some(Admission {
                _place: place,
                client: None,
            });
        }
        let key = ClientGroup::of(ip);
        let mut counts = self.per_client.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(key).or_default();
        if *count >= self.limits.max_per_client {
            warn_refused(
                ip,
                "this client holds too many connections",
                self.limits.max_per_client,
            );
            return None;
        }
        *count += 1;
        Some(Admission {
            _place: place,
            client: Some((key, self.per_client.clone())),
        })
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        if let Some((key, counts)) = &self.client {
            let mut counts = counts.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(count) = counts.get_mut(key) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_write_to_a_client_that_never_reads_ends_at_the_stall_deadline() {
        // A 64-byte pipe whose reader reads nothing: the write blocks once it is full.
        let (_client, server) = tokio::io::duplex(64);
        let mut limited = StallLimited::new(server);
        let started = tokio::time::Instant::now();
        let error = limited.write_all(&[0u8; 4096]).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= WRITE_STALL_TIMEOUT);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_reader_that_keeps_reading_is_not_cut_off() {
        let (mut client, server) = tokio::io::duplex(64);
        let mut limited = StallLimited::new(server);
        // Reads 64 bytes every 20 s (well within the deadline each time) until the end.
        let reader = tokio::spawn(async move {
            let mut received = 0;
            let mut buffer = [0u8; 64];
            loop {
                tokio::time::sleep(Duration::from_secs(20)).await;
                match client.read(&mut buffer).await.unwrap() {
                    0 => return received,
                    read => received += read,
                }
            }
        });
        limited.write_all(&[1u8; 640]).await.unwrap();
        limited.shutdown().await.unwrap();
        drop(limited);
        assert_eq!(reader.await.unwrap(), 640);
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_prefix() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ClientGroup::of(a), ClientGroup::of(b));
        assert_ne!(ClientGroup::of(a), ClientGroup::of(other));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(ClientGroup::of(mapped), ClientGroup::of(v4));
    }

    #[test]
    fn one_client_cannot_take_every_place_and_places_come_back() {
        let limits = ConnectionLimits {
            max_connections: 4,
            max_per_client: 2,
            ..ConnectionLimits::default()
        };
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let gate = Gate::new(limits, vec![proxy]);
        let greedy: IpAddr = "203.0.113.7".parse().unwrap();
        let first = gate.admit(greedy).expect("first");
        let _second = gate.admit(greedy).expect("second");
        assert!(gate.admit(greedy).is_none(), "a third from one client");
        let _shopper = gate
            .admit("198.51.100.1".parse().unwrap())
            .expect("another client");
        drop(first);
        let _again = gate.admit(greedy).expect("a place given back is reused");
        // The proxy is not counted per client, but the shop's total still holds.
        let _through_proxy = gate.admit(proxy).expect("the last place");
        assert!(gate.admit(proxy).is_none(), "over the total");
    }
}
