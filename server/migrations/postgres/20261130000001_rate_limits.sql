-- Rate limits for the forms that write (cookie choice, contact form, later checkout and login):
-- one counter per subject (an IP group or a visitor) per fixed window, raised and read in one
-- statement so that parallel requests cannot all pass a count taken before any of them wrote.
CREATE TABLE rate_limits (
    bucket      TEXT NOT NULL,
    window_end  BIGINT NOT NULL,
    hits        BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_end)
);
CREATE INDEX rate_limits_window_end ON rate_limits (window_end);
