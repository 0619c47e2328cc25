import type { Database } from 'better-sqlite3'

/**
 * Versioned schema migrations, in code. `PRAGMA user_version` records how many have run; each
 * migration runs in its own transaction, so a crash mid-migration leaves the previous version.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE integrations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    config TEXT NOT NULL,
    policy TEXT NOT NULL,
    secret_ref TEXT,
    status TEXT NOT NULL,
    status_reason TEXT,
    status_since TEXT NOT NULL,
    last_sync_at TEXT,
    last_outcome TEXT,
    current_snapshot_id TEXT,
    cursor TEXT,
    incremental_runs INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    deleted_at TEXT
  );
  CREATE UNIQUE INDEX integrations_live_name ON integrations(name COLLATE NOCASE) WHERE deleted_at IS NULL;

  CREATE TABLE snapshots (
    id TEXT PRIMARY KEY,
    integration_id TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    mode TEXT NOT NULL,
    mode_reason TEXT NOT NULL,
    users INTEGER NOT NULL DEFAULT 0,
    groups INTEGER NOT NULL DEFAULT 0,
    memberships INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('staged', 'current', 'previous'))
  );
  CREATE INDEX snapshots_integration ON snapshots(integration_id, state);
  CREATE TABLE snapshot_users (
    snapshot_id TEXT NOT NULL,
    external_id TEXT NOT NULL,
    primary_address TEXT NOT NULL,
    aliases TEXT NOT NULL,
    display_name TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, external_id)
  ) WITHOUT ROWID;
  CREATE TABLE snapshot_groups (
    snapshot_id TEXT NOT NULL,
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT,
    PRIMARY KEY (snapshot_id, external_id)
  ) WITHOUT ROWID;
  CREATE TABLE snapshot_members (
    snapshot_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, group_id, user_id)
  ) WITHOUT ROWID;

  CREATE TABLE users (
    address TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'deleted')),
    deleted_at TEXT,
    deleted_by TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '{}',
    sources TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE addresses (
    address TEXT PRIMARY KEY,
    user_address TEXT NOT NULL REFERENCES users(address) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('directory', 'transit', 'manual')),
    is_primary INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX addresses_user ON addresses(user_address);
  CREATE TABLE groups (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT,
    origin TEXT NOT NULL CHECK (origin IN ('directory', 'manual')),
    sources TEXT NOT NULL DEFAULT '[]'
  ) WITHOUT ROWID;
  CREATE TABLE memberships (
    group_key TEXT NOT NULL REFERENCES groups(key) ON DELETE CASCADE,
    user_address TEXT NOT NULL REFERENCES users(address) ON DELETE CASCADE,
    sources TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (group_key, user_address)
  ) WITHOUT ROWID;
  CREATE INDEX memberships_user ON memberships(user_address);

  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    trigger TEXT NOT NULL,
    scope TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT,
    summary TEXT NOT NULL
  );
  CREATE INDEX runs_started ON runs(started_at);
  CREATE TABLE held_actions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    held_since TEXT NOT NULL,
    integration_ids TEXT NOT NULL,
    body TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    applied_at TEXT,
    applied_in_run TEXT
  );
  CREATE INDEX approvals_pending ON approvals(action_id) WHERE applied_at IS NULL;
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    event TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // 2: guided migrations between directory providers, resumable at their step.
  `
  CREATE TABLE migrations (
    id TEXT PRIMARY KEY,
    old_integration_id TEXT NOT NULL,
    new_integration_id TEXT NOT NULL,
    step TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 3: the change journal (journal-store.ts). Narrow rows: keys, runs, attributions and reasons are
  // interned (integers here), memberships carry no text; one index per way it is queried.
  `
  CREATE TABLE journal_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
  CREATE TABLE journal_runs (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE);
  CREATE TABLE journal_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
  CREATE TABLE journal_note_integrations (integration_id TEXT NOT NULL, note INTEGER NOT NULL, PRIMARY KEY (integration_id, note)) WITHOUT ROWID;
  CREATE TABLE journal (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    run INTEGER,
    event INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    target INTEGER NOT NULL,
    member INTEGER,
    attribution INTEGER NOT NULL,
    reason INTEGER,
    change TEXT
  );
  CREATE INDEX journal_by_run ON journal(run, seq) WHERE run IS NOT NULL;
  CREATE INDEX journal_by_target ON journal(target, seq);
  CREATE INDEX journal_by_member ON journal(member, seq) WHERE member IS NOT NULL;
  CREATE INDEX journal_by_kind ON journal(kind, seq);
  CREATE INDEX journal_by_attribution ON journal(attribution, seq);
  `,
  // 4: a narrower journal. A run's entries are one seq range (runs never overlap), so the run is
  // found by range, not by an index; kind and integration filter within a run's range or a
  // history (one index per row of a first sync's 1.3M entries was 45 bytes each of 120).
  `
  DROP INDEX journal_by_run;
  DROP INDEX journal_by_kind;
  DROP INDEX journal_by_attribution;
  ALTER TABLE journal_runs ADD COLUMN first_seq INTEGER;
  ALTER TABLE journal_runs ADD COLUMN last_seq INTEGER;
  UPDATE journal_runs SET first_seq = (SELECT min(seq) FROM journal WHERE run = journal_runs.id), last_seq = (SELECT max(seq) FROM journal WHERE run = journal_runs.id);
  `,  // 5: a compact account directory. Rows that reference each other use integer keys (users.id,
  // groups.id), and a source list ("which integrations back this") is a small integer into
  // source_sets instead of a JSON text per row: a membership is three integers (~10 bytes, was
  // ~110 with its index). Old tables are renamed (SQLite points their foreign keys along), copied,
  // then dropped children first.
  `
  CREATE TABLE source_sets (id INTEGER PRIMARY KEY, integration_ids TEXT NOT NULL UNIQUE);
  INSERT INTO source_sets (id, integration_ids) VALUES (0, '[]');
  INSERT OR IGNORE INTO source_sets (integration_ids)
    SELECT sources FROM users UNION SELECT deleted_by FROM users UNION SELECT sources FROM groups UNION SELECT DISTINCT sources FROM memberships;

  ALTER TABLE memberships RENAME TO memberships_v4;
  ALTER TABLE addresses RENAME TO addresses_v4;
  ALTER TABLE groups RENAME TO groups_v4;
  ALTER TABLE users RENAME TO users_v4;

  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'deleted')),
    deleted_at TEXT,
    deleted_by INTEGER NOT NULL DEFAULT 0 REFERENCES source_sets(id),
    attributes TEXT NOT NULL DEFAULT '{}',
    sources INTEGER NOT NULL DEFAULT 0 REFERENCES source_sets(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE addresses (
    address TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('directory', 'transit', 'manual')),
    is_primary INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT,
    origin TEXT NOT NULL CHECK (origin IN ('directory', 'manual')),
    sources INTEGER NOT NULL DEFAULT 0 REFERENCES source_sets(id)
  );
  CREATE TABLE memberships (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sources INTEGER NOT NULL DEFAULT 0 REFERENCES source_sets(id),
    PRIMARY KEY (group_id, user_id)
  ) WITHOUT ROWID;

  INSERT INTO users (address, display_name, status, deleted_at, deleted_by, attributes, sources, created_at, updated_at)
    SELECT u.address, u.display_name, u.status, u.deleted_at, d.id, u.attributes, s.id, u.created_at, u.updated_at
    FROM users_v4 u JOIN source_sets d ON d.integration_ids = u.deleted_by JOIN source_sets s ON s.integration_ids = u.sources ORDER BY u.address;
  INSERT INTO addresses (address, user_id, type, is_primary)
    SELECT a.address, u.id, a.type, a.is_primary FROM addresses_v4 a JOIN users u ON u.address = a.user_address;
  INSERT INTO groups (key, name, address, origin, sources)
    SELECT g.key, g.name, g.address, g.origin, s.id FROM groups_v4 g JOIN source_sets s ON s.integration_ids = g.sources ORDER BY g.key;
  INSERT INTO memberships (group_id, user_id, sources)
    SELECT g.id, u.id, s.id FROM memberships_v4 m JOIN groups g ON g.key = m.group_key JOIN users u ON u.address = m.user_address JOIN source_sets s ON s.integration_ids = m.sources;

  DROP TABLE memberships_v4;
  DROP TABLE addresses_v4;
  DROP TABLE groups_v4;
  DROP TABLE users_v4;
  CREATE INDEX addresses_user ON addresses(user_id);
  CREATE INDEX memberships_user ON memberships(user_id);
  `,
  // 6: compact snapshots. A snapshot has an integer key; external ids (GUIDs, DNs) are stored once
  // in snapshot_ids and rows carry their number: a snapshot membership is three integers (~10
  // bytes, was ~95). Only the current snapshot is kept (the journal answers "what changed").
  `
  DROP INDEX snapshots_integration;
  ALTER TABLE snapshots RENAME TO snapshots_v5;
  CREATE TABLE snapshots (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    integration_id TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    mode TEXT NOT NULL,
    mode_reason TEXT NOT NULL,
    users INTEGER NOT NULL DEFAULT 0,
    groups INTEGER NOT NULL DEFAULT 0,
    memberships INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('staged', 'current'))
  );
  INSERT INTO snapshots (id, integration_id, taken_at, mode, mode_reason, users, groups, memberships, state)
    SELECT id, integration_id, taken_at, mode, mode_reason, users, groups, memberships, state FROM snapshots_v5 WHERE state = 'current';
  CREATE INDEX snapshots_integration ON snapshots(integration_id, state);
  CREATE TABLE snapshot_ids (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE);
  INSERT OR IGNORE INTO snapshot_ids (external_id)
    SELECT external_id FROM snapshot_users WHERE snapshot_id IN (SELECT id FROM snapshots)
    UNION SELECT external_id FROM snapshot_groups WHERE snapshot_id IN (SELECT id FROM snapshots)
    UNION SELECT group_id FROM snapshot_members WHERE snapshot_id IN (SELECT id FROM snapshots)
    UNION SELECT user_id FROM snapshot_members WHERE snapshot_id IN (SELECT id FROM snapshots);

  ALTER TABLE snapshot_users RENAME TO snapshot_users_v5;
  ALTER TABLE snapshot_groups RENAME TO snapshot_groups_v5;
  ALTER TABLE snapshot_members RENAME TO snapshot_members_v5;
  CREATE TABLE snapshot_users (
    snap INTEGER NOT NULL,
    user INTEGER NOT NULL,
    primary_address TEXT NOT NULL,
    aliases TEXT NOT NULL,
    display_name TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    PRIMARY KEY (snap, user)
  ) WITHOUT ROWID;
  CREATE TABLE snapshot_groups (
    snap INTEGER NOT NULL,
    grp INTEGER NOT NULL,
    name TEXT NOT NULL,
    address TEXT,
    PRIMARY KEY (snap, grp)
  ) WITHOUT ROWID;
  CREATE TABLE snapshot_members (
    snap INTEGER NOT NULL,
    grp INTEGER NOT NULL,
    user INTEGER NOT NULL,
    PRIMARY KEY (snap, grp, user)
  ) WITHOUT ROWID;
  INSERT INTO snapshot_users (snap, user, primary_address, aliases, display_name, enabled, attributes)
    SELECT s.key, i.id, u.primary_address, u.aliases, u.display_name, u.enabled, u.attributes
    FROM snapshot_users_v5 u JOIN snapshots s ON s.id = u.snapshot_id JOIN snapshot_ids i ON i.external_id = u.external_id;
  INSERT INTO snapshot_groups (snap, grp, name, address)
    SELECT s.key, i.id, g.name, g.address FROM snapshot_groups_v5 g JOIN snapshots s ON s.id = g.snapshot_id JOIN snapshot_ids i ON i.external_id = g.external_id;
  INSERT INTO snapshot_members (snap, grp, user)
    SELECT s.key, gi.id, ui.id FROM snapshot_members_v5 m JOIN snapshots s ON s.id = m.snapshot_id
    JOIN snapshot_ids gi ON gi.external_id = m.group_id JOIN snapshot_ids ui ON ui.external_id = m.user_id;
  DROP TABLE snapshot_members_v5;
  DROP TABLE snapshot_groups_v5;
  DROP TABLE snapshot_users_v5;
  DROP TABLE snapshots_v5;
  `,
  // 7: the journal's two indexes on the key alone. Entries with one key come in rowid (= seq) order
  // anyway, so "ORDER BY seq" needs no sort, and each index entry is a third smaller (at 100k users
  // / 1.2M memberships, 43 MB of index → ~29 MB).
  `
  DROP INDEX journal_by_target;
  DROP INDEX journal_by_member;
  CREATE INDEX journal_by_target ON journal(target);
  CREATE INDEX journal_by_member ON journal(member) WHERE member IS NOT NULL;
  `,
  // 8: a group's alias addresses (Entra smtp: proxy addresses, Google aliases), a JSON list like snapshot_users.aliases.
  `
  ALTER TABLE snapshot_groups ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';
  `,
  // 9: the account groups' alias addresses, one row each, so a lookup by address (mail to a group
  // alias) is an index seek. Filled by the next sync from the snapshots' aliases (migration 8).
  `
  CREATE TABLE group_aliases (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    PRIMARY KEY (group_id, address)
  ) WITHOUT ROWID;
  CREATE INDEX group_aliases_address ON group_aliases(address);
  `,
  // 10: dirty-set planning (plan-marks.ts, plan-address-index.ts). dirty_marks: what the next plan
  // must look at (a promoted delta's objects, then the addresses and group keys they resolve to),
  // cleared in the transaction that applies the plan. plan_index: every address and group key of
  // every contributing snapshot, by object, so "who presents this address" is an indexed lookup
  // (snapshot aliases are a JSON list, and an object's old addresses are gone once its new row is
  // promoted). plan_state: what the last applied plan was made from (see plan-marks.ts).
  `
  CREATE TABLE dirty_marks (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, integration_id TEXT, key TEXT NOT NULL);
  CREATE TABLE plan_index_sources (key INTEGER PRIMARY KEY, integration_id TEXT NOT NULL UNIQUE, snapshot_id TEXT NOT NULL);
  CREATE TABLE plan_index (
    source INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    object INTEGER NOT NULL,
    address TEXT NOT NULL,
    PRIMARY KEY (source, kind, object, address)
  ) WITHOUT ROWID;
  CREATE INDEX plan_index_address ON plan_index(address);
  CREATE TABLE plan_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // 11: substring search over users (issue 16: keystroke → rows ≤ 100 ms at 100k users). One text
  // per user in user_search_text (rowid = users.id: its display name and its addresses, joined by
  // U+001F so no query spans two of them), indexed by an FTS5 trigram table over it (detail=full:
  // phrase matching is what makes a trigram match exact). Short queries (1–2 characters, below a
  // trigram) scan the compact texts instead of joining every user's addresses. Triggers only queue
  // the user in user_search_pending: FTS5 flushes its pending terms at every statement savepoint,
  // so writing it from a row trigger made a first sync of 100k users ~10× slower;
  // user-search-index.ts brings queued users into the index in bulk. The partial index serves the
  // address-type filter for the rare types (nearly every address is 'directory', so a first sync
  // adds next to nothing to it).
  `
  CREATE TABLE user_search_text (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
  CREATE VIRTUAL TABLE user_search USING fts5(text, content = 'user_search_text', content_rowid = 'id', tokenize = 'trigram', columnsize = 0);
  INSERT INTO user_search_text (id, text)
    SELECT u.id, u.display_name || char(31) || ifnull((SELECT group_concat(a.address, char(31)) FROM addresses a WHERE a.user_id = u.id), '') FROM users u;
  INSERT INTO user_search (user_search) VALUES ('rebuild');
  CREATE TABLE user_search_pending (user_id INTEGER PRIMARY KEY);
  CREATE TRIGGER user_search_user_added AFTER INSERT ON users BEGIN INSERT OR IGNORE INTO user_search_pending VALUES (new.id); END;
  CREATE TRIGGER user_search_user_renamed AFTER UPDATE OF display_name ON users BEGIN INSERT OR IGNORE INTO user_search_pending VALUES (new.id); END;
  CREATE TRIGGER user_search_user_removed AFTER DELETE ON users BEGIN INSERT OR IGNORE INTO user_search_pending VALUES (old.id); END;
  CREATE TRIGGER user_search_address_added AFTER INSERT ON addresses BEGIN INSERT OR IGNORE INTO user_search_pending VALUES (new.user_id); END;
  CREATE TRIGGER user_search_address_removed AFTER DELETE ON addresses BEGIN INSERT OR IGNORE INTO user_search_pending VALUES (old.user_id); END;
  CREATE TRIGGER user_search_address_changed AFTER UPDATE OF address, user_id ON addresses BEGIN
    INSERT OR IGNORE INTO user_search_pending VALUES (old.user_id);
    INSERT OR IGNORE INTO user_search_pending VALUES (new.user_id);
  END;
  CREATE INDEX addresses_not_directory ON addresses(type, user_id) WHERE type != 'directory';
  `,
  // 12: a snapshot group's members as one packed list on its row (member-list.ts) instead of a
  // row per membership: 1.2M rows (17.5 MB) become 10,000 values (~4.8 MB) at 100k users, and a
  // first sync writes 10,000 rows instead of 1.2M. snapshot_groups becomes a rowid table: a list
  // over ~1 KB would not fit a WITHOUT ROWID leaf and take an overflow page of its own (measured:
  // 10.8 MB for 5 MB of lists; as a rowid table 6 MB).
  `
  ALTER TABLE snapshot_groups RENAME TO snapshot_groups_v11;
  CREATE TABLE snapshot_groups (
    snap INTEGER NOT NULL,
    grp INTEGER NOT NULL,
    name TEXT NOT NULL,
    address TEXT,
    aliases TEXT NOT NULL DEFAULT '[]',
    members BLOB NOT NULL DEFAULT x'',
    PRIMARY KEY (snap, grp)
  );
  INSERT INTO snapshot_groups (snap, grp, name, address, aliases, members)
    SELECT g.snap, g.grp, g.name, g.address, g.aliases, ifnull((SELECT unhex(group_concat(printf('%08X', m.user), '' ORDER BY m.user)) FROM snapshot_members m
      WHERE m.snap = g.snap AND m.grp = g.grp), x'')
    FROM snapshot_groups_v11 g ORDER BY g.snap, g.grp;
  DROP TABLE snapshot_groups_v11;
  DROP TABLE snapshot_members;
  `,
  // 13: the search index records which users hold a trigram, not where (detail=none): 6 MB at
  // 100k users instead of 26 MB. A hit is confirmed by LIKE on the user's text, so a search still
  // finds exactly the users holding the substring, as fast (directory-queries.ts). The texts are
  // now kept case-folded, by a function the app registers (user-search-index.ts), so the index and
  // its texts are emptied and every user is queued: the app or browser host indexes them in the
  // background, and searches scan the account tables until then (correct, slower).
  `
  DROP TABLE user_search;
  DELETE FROM user_search_text;
  CREATE VIRTUAL TABLE user_search USING fts5(text, content = 'user_search_text', content_rowid = 'id', tokenize = 'trigram', columnsize = 0, detail = none);
  INSERT OR IGNORE INTO user_search_pending (user_id) SELECT id FROM users;
  `,
  // 14: the plan index (plan-address-index.ts) as one row per object, its addresses as one JSON
  // list, plus each address's 32-bit hash → the objects that have it (a lookup checks the object's
  // list: two addresses may share a hash). Before: a row per address and a second B-tree over the
  // address text — the text twice, 34 MB at 100k users. Hashes are computed in JS, so the index is
  // not converted here: forgetting its sources makes the next run rebuild it (and plan in full).
  `
  DROP TABLE plan_index;
  DELETE FROM plan_index_sources;
  CREATE TABLE plan_index (
    source INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    object INTEGER NOT NULL,
    addresses TEXT NOT NULL,
    PRIMARY KEY (source, kind, object)
  ) WITHOUT ROWID;
  CREATE TABLE plan_index_hash (
    hash INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    source INTEGER NOT NULL,
    object INTEGER NOT NULL,
    PRIMARY KEY (hash, kind, source, object)
  ) WITHOUT ROWID;
  `,
  // 15: a run's time, once (journal-store.ts): its entries store 0 for "the run's time" instead of
  // 6 bytes each (1.3M entries on a first sync at 100k users). Runs journalled before keep a NULL
  // time; their entries carry their own, and read as before.
  `
  ALTER TABLE journal_runs ADD COLUMN at INTEGER;
  `,
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Runs the migrations from the store's version up to `target` (Default: this build's; tests make stores of an earlier version with a lower one). */
export function migrate(db: Database, target: number = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > SCHEMA_VERSION) {
    throw new Error(`This data directory was written by a newer version of Directory Sync Console (schema ${current}, this build knows ${SCHEMA_VERSION}).`)
  }
  for (let version = current; version < Math.min(target, SCHEMA_VERSION); version++) {
    const sql = MIGRATIONS[version] ?? ''
    db.transaction(() => {
      db.exec(sql)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}
