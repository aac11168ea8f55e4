-- The receiver's store (leadhook's store.js, SCHEMA): `wrangler d1 migrations apply leadhook`.
CREATE TABLE IF NOT EXISTS leadhook_events (
  event_key TEXT PRIMARY KEY,
  delivery TEXT NOT NULL,
  idx INTEGER NOT NULL,
  kind TEXT NOT NULL,
  record TEXT NOT NULL,
  state TEXT NOT NULL,
  tries INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  duplicates INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  done_at INTEGER
);
CREATE INDEX IF NOT EXISTS leadhook_events_due ON leadhook_events (state, next_at);
CREATE INDEX IF NOT EXISTS leadhook_events_delivery ON leadhook_events (delivery);
CREATE TABLE IF NOT EXISTS leadhook_drift (
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  code TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (kind, path, code)
);
