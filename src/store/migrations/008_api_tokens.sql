-- 008_api_tokens: long-lived API tokens beside browser sessions. The secret is shown once;
-- only its SHA-256 is in `sessions`. This table names a token so it can be listed and revoked.
CREATE TABLE api_tokens (
  id {{ID}},
  user_id {{INT}} NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE REFERENCES sessions(token_hash),
  name TEXT NOT NULL,
  created_at {{INT}} NOT NULL,
  expires_at {{INT}} NOT NULL
) {{STRICT}};
CREATE INDEX api_tokens_user ON api_tokens(user_id);
