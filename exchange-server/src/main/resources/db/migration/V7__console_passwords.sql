-- Web console: password sign-in for staff who have no client certificate in their browser (the
-- embedded demo's staff; off unless pouch.console.password-sign-in, or demo mode, enables it).
-- Only a salted PBKDF2 hash is kept: "pbkdf2-sha512$<iterations>$<salt, base64>$<hash, base64>".
CREATE TABLE staff_password (
    staff       bigint PRIMARY KEY REFERENCES staff (id),
    hash        text NOT NULL CHECK (hash LIKE 'pbkdf2-sha512$%'),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON staff_password TO ${app_role};
