//! The visitor's IP address, as the notice promises to record it (consents, contact messages,
//! later orders and logins): the socket's peer, or, when that peer is one of the configured
//! trusted proxies, the last address in `X-Forwarded-For` that is not itself a trusted proxy.
//! A visitor can put anything in that header; only a proxy we run can be believed, and only
//! about the hop before it.

use std::net::{IpAddr, SocketAddr};

use app::backend::RequestOrigin;
use axum::{
    extract::ConnectInfo,
    http::{header, request::Parts, HeaderMap},
};

/// The IP of the request's sender.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer else {
        // Only in tests that call the router without a socket.
        return "0.0.0.0".to_string();
    };
    // A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`; compare and record them as IPv4.
    let peer = peer.to_canonical();
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

/// IP and user agent of a request, from its parts.
pub fn request_origin(parts: &Parts, trusted: &[IpAddr]) -> RequestOrigin {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    RequestOrigin::new(client_ip(peer, &parts.headers, trusted), user_agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn only_a_trusted_proxy_is_believed() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let visitor: IpAddr = "203.0.113.7".parse().unwrap();
        let headers = forwarded("198.51.100.1, 203.0.113.7");
        // Straight from the internet: the header is the visitor's own words.
        assert_eq!(client_ip(Some(visitor), &headers, &[proxy]), "203.0.113.7");
        assert_eq!(client_ip(Some(visitor), &headers, &[]), "203.0.113.7");
        // Through our proxy: the hop before it, not what the visitor wrote further left.
        assert_eq!(client_ip(Some(proxy), &headers, &[proxy]), "203.0.113.7");
        assert_eq!(
            client_ip(Some(proxy), &forwarded("203.0.113.7, 10.0.0.2"), &[proxy]),
            "203.0.113.7"
        );
        assert_eq!(
            client_ip(Some(proxy), &HeaderMap::new(), &[proxy]),
            "10.0.0.2"
        );
        assert_eq!(
            client_ip(Some(proxy), &forwarded("garbage"), &[proxy]),
            "10.0.0.2"
        );
        let mapped: IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        assert_eq!(client_ip(Some(mapped), &headers, &[proxy]), "203.0.113.7");
    }
}
