//! The back office's people (issue 15): staff accounts with a role, created from the command
//! line (`server create-staff`, never with a default password), logged in with a password and,
//! for a yonetici, a TOTP code; failed logins limited per IP and per account; every login and
//! every change written to the append-only audit log ([`audit`]).

pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod catalogue;
pub mod coupons;
pub mod desk;
pub mod images;
pub mod orders;
pub mod records;
pub mod recovery;
pub mod totp;

use super::accounts::{hash_password, verify_password};
use super::rate_limit::{self, Limit, Limiter};
use super::{password, time, Db, RequestOrigin};
use crate::model::staff::{StaffCredentials, StaffRole, StaffView};

pub const STAFF_LOGIN_FAILURES_PER_IP: Limit = Limit {
    name: "staff-login-ip",
    max_hits: 20,
    window_seconds: 15 * 60,
};
pub const STAFF_LOGIN_FAILURES_PER_ACCOUNT: Limit = Limit {
    name: "staff-login-account",
    max_hits: 5,
    window_seconds: 15 * 60,
};

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("the password is not good enough: {0:?}")]
    Password(password::PasswordProblem),
    #[error("a member of staff with this address exists")]
    Taken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A new member of staff; for a yonetici also their TOTP secret, to be put in an
/// authenticator app before the first login, and its recovery codes.
#[derive(Debug)]
pub struct Created {
    pub id: i64,
    pub totp_secret: Option<String>,
    pub recovery_codes: Vec<String>,
}

/// Creates a member of staff (the `create-staff` command).
pub async fn create(
    db: &Db,
    email: &str,
    name: &str,
    role: StaffRole,
    new_password: &str,
) -> Result<Created, CreateError> {
    create_by(
        db,
        email,
        name,
        role,
        new_password,
        &audit::Actor::shop("command line"),
    )
    .await
}

/// Creates a member of staff on behalf of `by` (a yonetici on the team page).
pub async fn create_by(
    db: &Db,
    email: &str,
    name: &str,
    role: StaffRole,
    new_password: &str,
    by: &audit::Actor,
) -> Result<Created, CreateError> {
    let email = email.trim().to_lowercase();
    password::check_new(new_password, &email).map_err(CreateError::Password)?;
    let password_hash = hash_password(new_password.to_string()).await;
    let mut tx = db.begin_write().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO staff (email, name, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(&email)
    .bind(name.trim())
    .bind(role.code())
    .bind(&password_hash)
    .bind(time::iso_utc(time::now_seconds()))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Err(CreateError::Taken);
    };
    let second_factor = if role.needs_second_factor() {
        Some(recovery::issue(&mut tx, id).await?)
    } else {
        None
    };
    audit::record(
        &mut tx,
        by,
        "staff.create",
        &format!("staff:{id}"),
        &format!("role={}", role.code()),
    )
    .await?;
    tx.commit().await?;
    let (totp_secret, recovery_codes) = match second_factor {
        Some(issued) => (Some(issued.secret), issued.recovery_codes),
        None => (None, Vec::new()),
    };
    Ok(Created {
        id,
        totp_secret,
        recovery_codes,
    })
}

/// What a login form got.
#[derive(Debug)]
pub enum StaffLogin {
    LoggedIn(auth::SessionStaff),
    /// The password is right and a code is needed (none was typed yet).
    CodeNeeded,
    /// Wrong address, password or code: the same answer for each.
    Refused,
    RateLimited {
        retry_after_seconds: i64,
    },
}

type StaffRow = (i64, String, String, Option<String>, Option<i64>);

/// Checks `credentials` and, when they are right, says who logs in.
pub async fn log_in(
    db: &Db,
    limiter: &Limiter,
    credentials: &StaffCredentials,
    origin: &RequestOrigin,
) -> Result<StaffLogin, sqlx::Error> {
    let ip_group = rate_limit::ip_group(&origin.ip);
    let checks = [
        (STAFF_LOGIN_FAILURES_PER_IP, ip_group.as_str()),
        (STAFF_LOGIN_FAILURES_PER_ACCOUNT, credentials.email.as_str()),
    ];
    if let Some(retry_after_seconds) = limiter.at_limit(db, &checks).await? {
        return Ok(StaffLogin::RateLimited {
            retry_after_seconds,
        });
    }
    let row: Option<StaffRow> = sqlx::query_as(
        "SELECT id, role, password_hash, totp_secret, totp_last_step FROM staff \
         WHERE email = $1 AND disabled_at IS NULL",
    )
    .bind(&credentials.email)
    .fetch_optional(db.pool())
    .await?;
    let stored = row.as_ref().map(|row| row.2.clone());
    let password_right =
        verify_password(credentials.password.clone(), stored).await && row.is_some();
    let now = time::now_seconds();
    let mut tx = db.begin_write().await?;
    let (outcome, action) = match (&row, password_right) {
        (Some((id, role, hash, secret, last_step)), true) => {
            let role = StaffRole::from_code(role).unwrap_or(StaffRole::Destek);
            match (
                role.needs_second_factor(),
                secret,
                credentials.code.is_empty(),
            ) {
                (false, _, _) => (
                    StaffLogin::LoggedIn(auth::SessionStaff::new(
                        *id,
                        hash,
                        role,
                        secret.as_deref(),
                    )),
                    "staff.login",
                ),
                // Counted as a failure: the form always asks for the code, and an answer that a
                // password was right must not come for free.
                (true, Some(_), true) => {
                    limiter.count_failure(&mut tx, &checks).await?;
                    (StaffLogin::CodeNeeded, "staff.login_code_needed")
                }
                // A recovery code in place of the app's code, once.
                (true, Some(secret), false) if recovery::normalise(&credentials.code).is_some() => {
                    if recovery::take(&mut tx, *id, &credentials.code, now).await? {
                        (
                            StaffLogin::LoggedIn(auth::SessionStaff::new(
                                *id,
                                hash,
                                role,
                                Some(secret),
                            )),
                            "staff.login_recovery_code",
                        )
                    } else {
                        limiter.count_failure(&mut tx, &checks).await?;
                        (StaffLogin::Refused, "staff.login_wrong_code")
                    }
                }
                (true, Some(secret), false) => {
                    match totp::accepted_step(secret, &credentials.code, now, *last_step) {
                        // The step is taken only if no login took it (or a later one) first:
                        // two logins with one code at once cannot both pass.
                        Some(step)
                            if sqlx::query(
                                "UPDATE staff SET totp_last_step = $1 WHERE id = $2 \
                                 AND (totp_last_step IS NULL OR totp_last_step < $1)",
                            )
                            .bind(step)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected()
                                == 1 =>
                        {
                            (
                                StaffLogin::LoggedIn(auth::SessionStaff::new(
                                    *id,
                                    hash,
                                    role,
                                    Some(secret),
                                )),
                                "staff.login",
                            )
                        }
                        _ => {
                            limiter.count_failure(&mut tx, &checks).await?;
                            (StaffLogin::Refused, "staff.login_wrong_code")
                        }
                    }
                }
                // A yonetici without a second factor cannot log in (create-staff gives one).
                (true, None, _) => (StaffLogin::Refused, "staff.login_no_second_factor"),
            }
        }
        _ => {
            limiter.count_failure(&mut tx, &checks).await?;
            (StaffLogin::Refused, "staff.login_refused")
        }
    };
    let by = audit::Actor {
        staff: row.as_ref().map(|row| row.0),
        ip: origin.ip.clone(),
    };
    audit::record(
        &mut tx,
        &by,
        action,
        &format!("staff-login:{}", credentials.email),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The member of staff `id`, while their account is open.
pub async fn find(db: &Db, id: i64) -> Result<Option<StaffView>, sqlx::Error> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, name, email, role FROM staff WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(|(id, name, email, role)| {
        Some(StaffView {
            id,
            name,
            email,
            role: StaffRole::from_code(&role)?,
        })
    }))
}

/// id, name, e-mail, role, TOTP secret, closed at, created at.
type TeamRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

/// Everyone on staff, the open accounts first.
pub async fn team(db: &Db) -> Result<crate::model::staff::Team, sqlx::Error> {
    let rows: Vec<TeamRow> = sqlx::query_as(
        "SELECT id, name, email, role, totp_secret, disabled_at, created_at FROM staff \
             ORDER BY CASE WHEN disabled_at IS NULL THEN 0 ELSE 1 END, name",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(crate::model::staff::Team {
        members: rows
            .into_iter()
            .filter_map(|(id, name, email, role, secret, disabled, created_at)| {
                Some(crate::model::staff::TeamMember {
                    id,
                    name,
                    email,
                    role: StaffRole::from_code(&role)?,
                    second_factor: secret.is_some(),
                    disabled: disabled.is_some(),
                    created_at,
                })
            })
            .collect(),
    })
}

/// Why a change to the team was refused.
#[derive(Debug, thiserror::Error)]
pub enum TeamRefusal {
    #[error("a member of staff cannot close or demote their own account")]
    Yourself,
    #[error("no such member of staff")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Closes the account of member of staff `id`: their sessions stop opening anything at once
/// (the session backend reads only open accounts).
pub async fn disable(db: &Db, id: i64, by: &audit::Actor) -> Result<(), TeamRefusal> {
    if by.staff == Some(id) {
        return Err(TeamRefusal::Yourself);
    }
    let mut tx = db.begin_write().await?;
    let done =
        sqlx::query("UPDATE staff SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
            .bind(time::iso_utc(time::now_seconds()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() != 1 {
        return Err(TeamRefusal::NotFound);
    }
    audit::record(&mut tx, by, "staff.disable", &format!("staff:{id}"), "").await?;
    tx.commit().await?;
    Ok(())
}

/// Gives member of staff `id` the role `role`; a new yonetici without a second factor gets a
/// TOTP secret and recovery codes, returned to be shown once.
pub async fn set_role(
    db: &Db,
    id: i64,
    role: StaffRole,
    by: &audit::Actor,
) -> Result<Option<recovery::Issued>, TeamRefusal> {
    if by.staff == Some(id) {
        return Err(TeamRefusal::Yourself);
    }
    let mut tx = db.begin_write().await?;
    let secret: Option<Option<String>> =
        sqlx::query_scalar("SELECT totp_secret FROM staff WHERE id = $1 AND disabled_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(secret) = secret else {
        return Err(TeamRefusal::NotFound);
    };
    sqlx::query("UPDATE staff SET role = $1 WHERE id = $2")
        .bind(role.code())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let issued = if role.needs_second_factor() && secret.is_none() {
        Some(recovery::issue(&mut tx, id).await?)
    } else {
        None
    };
    audit::record(
        &mut tx,
        by,
        "staff.role",
        &format!("staff:{id}"),
        role.code(),
    )
    .await?;
    tx.commit().await?;
    Ok(issued)
}

/// A yonetici resets the second factor of colleague `id` (a yonetici who lost their phone and
/// their recovery codes): a new secret and codes, returned to be handed over and shown once;
/// the colleague's sessions end (the stamp covers the secret).
pub async fn reset_second_factor(
    db: &Db,
    id: i64,
    by: &audit::Actor,
) -> Result<recovery::Issued, TeamRefusal> {
    if by.staff == Some(id) {
        return Err(TeamRefusal::Yourself);
    }
    let mut tx = db.begin_write().await?;
    let has_one: Option<String> = sqlx::query_scalar(
        "SELECT email FROM staff WHERE id = $1 AND disabled_at IS NULL AND totp_secret IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if has_one.is_none() {
        return Err(TeamRefusal::NotFound);
    }
    let issued = recovery::issue(&mut tx, id).await?;
    audit::record(
        &mut tx,
        by,
        "staff.second_factor_reset",
        &format!("staff:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(issued)
}

/// What renewing one's own second factor did.
#[derive(Debug)]
pub enum OwnSecondFactor {
    /// Renewed: the new secret and codes to show once, and the session to log in again with
    /// (every other session ends).
    Renewed(recovery::Issued, auth::SessionStaff),
    WrongPassword,
    /// Only a yonetici has a second factor.
    NoneToRenew,
    RateLimited {
        retry_after_seconds: i64,
    },
}

/// Member of staff `id` (logged in, perhaps with a recovery code) puts a new secret in a new
/// authenticator: their password again, then a new secret and new recovery codes.
pub async fn renew_own_second_factor(
    db: &Db,
    limiter: &Limiter,
    id: i64,
    password: &str,
    by: &audit::Actor,
) -> Result<OwnSecondFactor, sqlx::Error> {
    let row: Option<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT email, password_hash, role, totp_secret FROM staff \
         WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some((email, stored, role, Some(_))) = row else {
        return Ok(OwnSecondFactor::NoneToRenew);
    };
    let checks = [(STAFF_LOGIN_FAILURES_PER_ACCOUNT, email.as_str())];
    if let Some(retry_after_seconds) = limiter.at_limit(db, &checks).await? {
        return Ok(OwnSecondFactor::RateLimited {
            retry_after_seconds,
        });
    }
    if !verify_password(password.to_string(), Some(stored.clone())).await {
        let mut tx = db.begin_write().await?;
        limiter.count_failure(&mut tx, &checks).await?;
        tx.commit().await?;
        return Ok(OwnSecondFactor::WrongPassword);
    }
    let mut tx = db.begin_write().await?;
    let issued = recovery::issue(&mut tx, id).await?;
    audit::record(
        &mut tx,
        by,
        "staff.second_factor_renew",
        &format!("staff:{id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    let role = StaffRole::from_code(&role).unwrap_or(StaffRole::Yonetici);
    let session = auth::SessionStaff::new(id, &stored, role, Some(&issued.secret));
    Ok(OwnSecondFactor::Renewed(issued, session))
}

/// What a change of one's own password did.
#[derive(Debug)]
pub enum OwnPassword {
    /// Changed: every other session of theirs ends; this one logs in again with the new stamp.
    Changed(auth::SessionStaff),
    WrongCurrent,
    Weak(password::PasswordProblem),
    RateLimited {
        retry_after_seconds: i64,
    },
}

/// Member of staff `id` changes their password from `current` to `new_password`.
pub async fn change_own_password(
    db: &Db,
    limiter: &Limiter,
    id: i64,
    current: &str,
    new_password: &str,
    by: &audit::Actor,
) -> Result<OwnPassword, sqlx::Error> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT email, password_hash FROM staff WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some((email, stored)) = row else {
        return Ok(OwnPassword::WrongCurrent);
    };
    let checks = [(STAFF_LOGIN_FAILURES_PER_ACCOUNT, email.as_str())];
    if let Some(retry_after_seconds) = limiter.at_limit(db, &checks).await? {
        return Ok(OwnPassword::RateLimited {
            retry_after_seconds,
        });
    }
    if !verify_password(current.to_string(), Some(stored)).await {
        let mut tx = db.begin_write().await?;
        limiter.count_failure(&mut tx, &checks).await?;
        tx.commit().await?;
        return Ok(OwnPassword::WrongCurrent);
    }
    if let Err(problem) = password::check_new(new_password, &email) {
        return Ok(OwnPassword::Weak(problem));
    }
    let password_hash = hash_password(new_password.to_string()).await;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
        .bind(&password_hash)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, by, "staff.password", &format!("staff:{id}"), "").await?;
    tx.commit().await?;
    let (role, secret): (String, Option<String>) =
        sqlx::query_as("SELECT role, totp_secret FROM staff WHERE id = $1")
            .bind(id)
            .fetch_one(db.pool())
            .await?;
    let role = StaffRole::from_code(&role).unwrap_or(StaffRole::Destek);
    Ok(OwnPassword::Changed(auth::SessionStaff::new(
        id,
        &password_hash,
        role,
        secret.as_deref(),
    )))
}

/// Records that member of staff `id` logged out, from `ip`.
pub async fn record_logout(db: &Db, id: i64, ip: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    audit::record(
        &mut tx,
        &audit::Actor::staff(id, ip),
        "staff.logout",
        &format!("staff:{id}"),
        "",
    )
    .await?;
    tx.commit().await
}
