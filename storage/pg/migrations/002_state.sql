-- Conversation state (botbuilder Storage items) and the activities already processed.
-- Both are written by storage/pg/pg-state-store.ts and bot/pg-turns.ts.

-- One row per state key. The key may name a person (e.g. avisos/<document>), so the row is found
-- by the sha256 of the key (as the file adapter names its files); the key itself is kept inside
-- the value, which is the item's JSON sealed with the secret box (AES-256-GCM) when one is
-- configured. The eTag lives in its own column so a write can be checked in one statement.
CREATE TABLE IF NOT EXISTS conversation_state (
  key        text        PRIMARY KEY,
  value      text        NOT NULL,
  etag       text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Retention: idle conversations are deleted by age.
CREATE INDEX IF NOT EXISTS conversation_state_updated_at ON conversation_state (updated_at);

-- An activity processed once across instances: recorded in the transaction of its turn, so a
-- turn that fails (rolled back) leaves no record and a re-delivery is processed.
CREATE TABLE IF NOT EXISTS seen_activities (
  channel      text        NOT NULL,
  conversation text        NOT NULL,
  activity_id  text        NOT NULL,
  seen_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, conversation, activity_id)
);
-- Expiry: records older than a day are deleted in bounded batches.
CREATE INDEX IF NOT EXISTS seen_activities_seen_at ON seen_activities (seen_at);
