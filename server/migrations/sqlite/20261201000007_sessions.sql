-- Sessions (members and staff, issue 14), kept by tower-sessions through
-- app/src/backend/sessions.rs: in the database, never in a process's memory, so that any server
-- process can serve any request, and a logout or a password change ends a session everywhere.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
