//! Who sent a request, as the notice promises to record it (IP addresses on consents, contact
//! messages, orders, logins): the IP, and the browser's self-description.

/// The sender of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestOrigin {
    /// From the socket, or from `X-Forwarded-For` only when the socket is a trusted proxy
    /// (the server decides; see `server::client_ip`).
    pub ip: String,
    /// At most [`USER_AGENT_MAX_CHARS`] characters of `User-Agent`.
    pub user_agent: String,
}

pub const USER_AGENT_MAX_CHARS: usize = 512;

impl RequestOrigin {
    pub fn new(ip: String, user_agent: &str) -> Self {
        Self {
            ip,
            user_agent: user_agent.chars().take(USER_AGENT_MAX_CHARS).collect(),
        }
    }
}

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0_u8; bytes];
    getrandom::fill(&mut buffer).expect("the operating system's random source");
    super::hex(&buffer)
}
