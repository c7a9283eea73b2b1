-- Product images uploaded by staff (issue 15, item 4): checked, resized on the server and kept
-- here as JPEG under their SHA-256, so that every server process serves them without a shared
-- disk. `product_images.path` names them as `/gorsel/{sha256}.jpg`.
CREATE TABLE image_files (
    sha256        TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    content_type  TEXT NOT NULL,
    width         BIGINT NOT NULL CHECK (width > 0),
    height        BIGINT NOT NULL CHECK (height > 0),
    bytes         BYTEA NOT NULL,
    created_at    TEXT NOT NULL
);
