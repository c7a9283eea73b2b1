//! Who is logged in, through axum-login on tower-sessions (`backend::sessions::DbSessionStore`):
//! the session holds the member's id and a stamp of their password; a request whose session's
//! stamp no longer matches (the password was changed or reset elsewhere) is logged out by
//! axum-login before any handler sees it. axum-login gives a session a new id at login
//! (session fixation) and deletes it at logout.
//!
//! Expiry: a session ends after [`IDLE_DAYS`] without a request (tower-sessions' inactivity
//! expiry, renewed as it is used) and, whatever its use, [`ABSOLUTE_DAYS`] after its login
//! ([`LOGGED_IN_AT`], checked by [`current_member`]).

use axum_login::{AuthUser, AuthnBackend, UserId};
use sha2::{Digest, Sha256};

use super::super::sessions::DbSessionStore;
use super::super::{time, Db};
use crate::model::account::MemberView;

pub const IDLE_DAYS: i64 = 14;
pub const ABSOLUTE_DAYS: i64 = 60;
/// The session key holding the Unix second of the login.
pub const LOGGED_IN_AT: &str = "uye.giris_zamani";
/// The session key holding the cart merged at login until a page hands it to the browser.
pub const CART_HANDOFF: &str = "uye.sepet";

/// The member a session is logged in as.
#[derive(Clone)]
pub struct SessionMember {
    pub id: i64,
    /// SHA-256 of the password's hash: the session keeps this, never the hash itself.
    stamp: Vec<u8>,
}

impl std::fmt::Debug for SessionMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionMember")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl SessionMember {
    pub fn new(id: i64, password_hash: &str) -> Self {
        Self {
            id,
            stamp: Sha256::digest(password_hash.as_bytes()).to_vec(),
        }
    }
}

impl AuthUser for SessionMember {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.stamp
    }
}

/// The members' side of axum-login: who an id in a session is, while the account is open and
/// confirmed. Logins go through `accounts::log_in` (limits, ledger of attempts), so
/// `authenticate` is that without the limits, for completeness.
#[derive(Clone, Debug)]
pub struct MemberBackend {
    db: Db,
}

impl MemberBackend {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl AuthnBackend for MemberBackend {
    type User = SessionMember;
    type Credentials = (i64, String);
    type Error = sqlx::Error;

    /// `(id, password)`: the member when the password is theirs.
    async fn authenticate(
        &self,
        (id, password): Self::Credentials,
    ) -> Result<Option<SessionMember>, sqlx::Error> {
        let Some(member) = self.get_user(&id).await? else {
            return Ok(None);
        };
        let stored: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM customers WHERE id = $1")
                .bind(id)
                .fetch_one(self.db.pool())
                .await?;
        let Some(stored) = stored else {
            return Ok(None);
        };
        let verified = super::verify_password(password, Some(stored)).await;
        Ok(verified.then_some(member))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionMember>, sqlx::Error> {
        let stored: Option<Option<String>> = sqlx::query_scalar(
            "SELECT password_hash FROM customers WHERE id = $1 AND closed_at IS NULL \
             AND email_verified_at IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(stored
            .flatten()
            .map(|password_hash| SessionMember::new(*id, &password_hash)))
    }
}

pub type AuthSession = axum_login::AuthSession<MemberBackend>;

/// The layer that gives a request its [`AuthSession`].
pub type Layer = axum_login::AuthManagerLayer<MemberBackend, DbSessionStore>;

/// Members' sessions: in the database, in the cookie `lm_oturum` (HttpOnly, SameSite=Lax,
/// Secure when the shop is served over TLS), ended after [`IDLE_DAYS`] unused.
pub fn layer(db: &Db, secure: bool) -> Layer {
    use tower_sessions::cookie::SameSite;
    let sessions = tower_sessions::SessionManagerLayer::new(DbSessionStore::new(db.clone()))
        .with_name(crate::wire::account::SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(tower_sessions::Expiry::OnInactivity(
            ::time::Duration::days(IDLE_DAYS),
        ));
    axum_login::AuthManagerLayerBuilder::new(MemberBackend::new(db.clone()), sessions).build()
}

/// Logs `member` in on `session` (a new session id) and notes when, for the absolute expiry.
pub async fn log_in(session: &mut AuthSession, member: &SessionMember) -> Result<(), String> {
    log_in_noting_when(session, member, LOGGED_IN_AT).await
}

/// Logs `user` in on `session` (axum-login gives it a new id) and notes the time under `key`,
/// for [`logged_in_too_long`]. Members' and staff sessions both log in this way.
pub async fn log_in_noting_when<B: AuthnBackend>(
    session: &mut axum_login::AuthSession<B>,
    user: &B::User,
    key: &str,
) -> Result<(), String> {
    session
        .login(user)
        .await
        .map_err(|error| error.to_string())?;
    session
        .session
        .insert(key, time::now_seconds())
        .await
        .map_err(|error| error.to_string())
}

/// Whether `session`'s login (noted under `key`) is more than `max_seconds` old, whatever its
/// use since; such a session is logged out here.
pub async fn logged_in_too_long<B: AuthnBackend>(
    session: &mut axum_login::AuthSession<B>,
    key: &str,
    max_seconds: i64,
) -> Result<bool, String> {
    let logged_in_at: Option<i64> = session
        .session
        .get(key)
        .await
        .map_err(|error| error.to_string())?;
    let expired = logged_in_at.is_none_or(|at| time::now_seconds() - at > max_seconds);
    if expired {
        session.logout().await.map_err(|error| error.to_string())?;
    }
    Ok(expired)
}

/// The member `session` is logged in as, with what Hesabım shows; a session past its absolute
/// expiry is logged out here.
pub async fn current_member(
    db: &Db,
    session: &mut AuthSession,
) -> Result<Option<MemberView>, String> {
    let Some(user) = session.user.clone() else {
        return Ok(None);
    };
    if logged_in_too_long(session, LOGGED_IN_AT, ABSOLUTE_DAYS * 24 * 60 * 60).await? {
        return Ok(None);
    }
    super::member(db, user.id)
        .await
        .map_err(|error| error.to_string())
}
