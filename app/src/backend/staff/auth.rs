//! Staff sessions: the same crates as members' (tower-sessions on the shop's
//! `DbSessionStore`, axum-login), but a backend of their own and a cookie of their own
//! (`lm_yonetim`; its path is `/` because the back office has a Turkish and an English
//! prefix), so a member's session never opens the back office and a staff session never
//! shops. Shorter lives than a member's: [`IDLE_HOURS`] unused,
//! [`ABSOLUTE_HOURS`] after the login whatever its use. A password change ends every session
//! (the stamp, as for members).

use axum_login::{AuthUser, AuthnBackend, UserId};
use sha2::{Digest, Sha256};

use super::super::accounts::auth::{log_in_noting_when, logged_in_too_long};
use super::super::sessions::DbSessionStore;
use super::super::Db;
use crate::model::staff::{StaffRole, StaffView};

pub const IDLE_HOURS: i64 = 8;
pub const ABSOLUTE_HOURS: i64 = 12;
/// The session key holding the Unix second of the login.
pub const LOGGED_IN_AT: &str = "yonetim.giris_zamani";
/// The back office's session cookie.
pub const SESSION_COOKIE: &str = "lm_yonetim";

#[derive(Clone)]
pub struct SessionStaff {
    pub id: i64,
    stamp: Vec<u8>,
}

impl std::fmt::Debug for SessionStaff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionStaff")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl SessionStaff {
    /// The stamp covers the role and the second factor as well as the password: a session
    /// logged in as destek (no second factor asked) ends when the account is made yonetici,
    /// one logged in as yonetici ends when it is made destek, and every session ends when the
    /// TOTP secret is reset (a lost phone may be in someone's hands).
    pub fn new(id: i64, password_hash: &str, role: StaffRole, totp_secret: Option<&str>) -> Self {
        let stamp = format!(
            "staff:{}:{password_hash}:{}",
            role.code(),
            totp_secret.unwrap_or_default()
        );
        Self {
            id,
            stamp: Sha256::digest(stamp.as_bytes()).to_vec(),
        }
    }
}

impl AuthUser for SessionStaff {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.stamp
    }
}

/// Who an id in a staff session is, while their account is open. Logins go through
/// `staff::log_in` (limits, second factor, audit log).
#[derive(Clone, Debug)]
pub struct StaffBackend {
    db: Db,
}

impl AuthnBackend for StaffBackend {
    type User = SessionStaff;
    type Credentials = ();
    type Error = sqlx::Error;

    /// Never used: `staff::log_in` decides, with the second factor.
    async fn authenticate(&self, _: ()) -> Result<Option<SessionStaff>, sqlx::Error> {
        Ok(None)
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionStaff>, sqlx::Error> {
        let stored: Option<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT password_hash, role, totp_secret FROM staff \
             WHERE id = $1 AND disabled_at IS NULL",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(stored.and_then(|(hash, role, secret)| {
            Some(SessionStaff::new(
                *id,
                &hash,
                StaffRole::from_code(&role)?,
                secret.as_deref(),
            ))
        }))
    }
}

pub type StaffSession = axum_login::AuthSession<StaffBackend>;
pub type Layer = axum_login::AuthManagerLayer<StaffBackend, DbSessionStore>;

/// Staff sessions: in the database, in the cookie [`SESSION_COOKIE`] (HttpOnly,
/// SameSite=Lax, Secure over TLS, on `path`), ended after [`IDLE_HOURS`] unused.
pub fn layer(db: &Db, secure: bool, path: &str) -> Layer {
    use tower_sessions::cookie::SameSite;
    let sessions = tower_sessions::SessionManagerLayer::new(DbSessionStore::new(db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path(path.to_string())
        .with_expiry(tower_sessions::Expiry::OnInactivity(
            ::time::Duration::hours(IDLE_HOURS),
        ));
    axum_login::AuthManagerLayerBuilder::new(StaffBackend { db: db.clone() }, sessions).build()
}

/// Logs `staff` in on `session` (a new session id) and notes when.
pub async fn log_in(session: &mut StaffSession, staff: &SessionStaff) -> Result<(), String> {
    log_in_noting_when(session, staff, LOGGED_IN_AT).await
}

/// The member of staff `session` is logged in as; a session past its absolute expiry is
/// logged out here.
pub async fn current_staff(
    db: &Db,
    session: &mut StaffSession,
) -> Result<Option<StaffView>, String> {
    let Some(user) = session.user.clone() else {
        return Ok(None);
    };
    if logged_in_too_long(session, LOGGED_IN_AT, ABSOLUTE_HOURS * 3600).await? {
        return Ok(None);
    }
    super::find(db, user.id)
        .await
        .map_err(|error| error.to_string())
}
