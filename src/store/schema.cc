#include "store/schema.h"

#include <functional>
#include <set>
#include <vector>

namespace qf {

namespace {

// Each entry moves the schema from version i to i+1. Append only; never edit a
// released migration.
const std::vector<std::function<Status(Db*)>>& Migrations() {
  static const std::vector<std::function<Status(Db*)>> m = {
      // 1: imports, stored files, quarantine.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE files (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            original_name TEXT NOT NULL,
            stored_at TEXT NOT NULL
          );
          CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            dataset TEXT NOT NULL,
            file_sha256 TEXT NOT NULL REFERENCES files(sha256),
            file_name TEXT NOT NULL,
            format TEXT NOT NULL,
            encoding TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            rows_read INTEGER NOT NULL DEFAULT 0,
            accepted INTEGER NOT NULL DEFAULT 0,
            new_rows INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            quarantined INTEGER NOT NULL DEFAULT 0
          );
          CREATE INDEX imports_dataset ON imports(dataset, id);
          CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            dataset TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            line INTEGER NOT NULL,
            location TEXT,
            column_name TEXT,
            value TEXT,
            reason_zh TEXT NOT NULL,
            reason_en TEXT NOT NULL,
            row_key TEXT,
            raw_row TEXT NOT NULL,
            resolved_import_id INTEGER,
            UNIQUE(dataset, file_sha256, line, location, column_name)
          );
          CREATE INDEX quarantine_open ON quarantine(dataset, resolved_import_id);
          CREATE INDEX quarantine_key ON quarantine(dataset, row_key);
        )sql");
      },
      // 2: the tamper-evident ledger (src/ledger, docs/ledger.md).
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE ledger_sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
          );
          INSERT INTO ledger_sources(id, name) VALUES (1, '#file'), (2, '#action');
          CREATE TABLE ledger_leaves (
            idx INTEGER PRIMARY KEY,
            src INTEGER NOT NULL,
            ref INTEGER NOT NULL,
            hash BLOB NOT NULL
          );
          CREATE INDEX ledger_leaves_ref ON ledger_leaves(src, ref);
          CREATE TABLE ledger_nodes (
            id INTEGER PRIMARY KEY,
            hash BLOB NOT NULL
          );
          CREATE TABLE ledger_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            size INTEGER NOT NULL,
            frontier BLOB NOT NULL
          );
          INSERT INTO ledger_state(id, size, frontier) VALUES (1, 0, x'');
          CREATE TABLE ledger_checkpoints (
            size INTEGER PRIMARY KEY,
            root BLOB NOT NULL,
            note TEXT NOT NULL,
            created_at TEXT NOT NULL
          );
          CREATE TABLE ledger_actions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            details TEXT NOT NULL
          );
        )sql");
      },
      // 3: scans, leads (问题线索) and their evidence (src/leads).
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            models TEXT NOT NULL,
            stats TEXT
          );
          CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            model TEXT NOT NULL,
            family TEXT NOT NULL,
            identity TEXT NOT NULL,
            subject_dataset TEXT NOT NULL,
            subject_key TEXT NOT NULL,
            subject_name TEXT NOT NULL,
            score INTEGER NOT NULL,
            amount INTEGER NOT NULL,
            summary TEXT NOT NULL,
            detection TEXT NOT NULL DEFAULT 'active',
            first_scan INTEGER NOT NULL,
            last_scan INTEGER NOT NULL,
            resolved_scan INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (model, identity)
          );
          CREATE INDEX leads_family ON leads(family, model);
          CREATE TABLE lead_evidence (
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            seq INTEGER NOT NULL,
            dataset TEXT NOT NULL,
            key TEXT NOT NULL,
            fields TEXT NOT NULL,
            first_scan INTEGER NOT NULL,
            PRIMARY KEY (lead_id, dataset, key)
          );
          CREATE TABLE custom_models (
            id TEXT PRIMARY KEY,
            definition TEXT NOT NULL,
            created_at TEXT NOT NULL
          );
        )sql");
      },
      // 4: the compiled release of every OCDS contracting process, as JSON, for the OCDS red
      // flags (src/models/ocds.cc); kept whether or not its tabular rows were quarantined.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE ocds_releases (
            ocid TEXT PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            compiled TEXT NOT NULL
          );
        )sql");
      },
      // 5: who may see what (leads' organisation and region), the lead workflow
      // (src/leads/workflow.cc) and the server's accounts and sessions (src/server).
      [](Db* db) {
        return db->Exec(R"sql(
          ALTER TABLE leads ADD COLUMN org TEXT;
          ALTER TABLE leads ADD COLUMN region_code TEXT;
          ALTER TABLE leads ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
          ALTER TABLE leads ADD COLUMN route TEXT;
          ALTER TABLE leads ADD COLUMN approved_at TEXT;
          ALTER TABLE leads ADD COLUMN outcome TEXT;
          ALTER TABLE leads ADD COLUMN verdict TEXT;
          ALTER TABLE leads ADD COLUMN assignee TEXT;
          ALTER TABLE leads ADD COLUMN merged_into INTEGER REFERENCES leads(id);
          ALTER TABLE leads ADD COLUMN closed_at TEXT;
          CREATE INDEX leads_status ON leads(status);
          CREATE INDEX leads_rank ON leads(score DESC, id);
          CREATE INDEX leads_region ON leads(region_code);
          CREATE TABLE lead_history (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT,
            details TEXT NOT NULL DEFAULT '{}'
          );
          CREATE INDEX lead_history_lead ON lead_history(lead_id, id);
          CREATE TABLE lead_comments (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL
          );
          CREATE INDEX lead_comments_lead ON lead_comments(lead_id, id);
          CREATE TABLE lead_attachments (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            at TEXT NOT NULL,
            author TEXT NOT NULL
          );
          CREATE INDEX lead_attachments_lead ON lead_attachments(lead_id, id);
          CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            regions TEXT NOT NULL DEFAULT '[]',
            orgs TEXT NOT NULL DEFAULT '[]',
            password_hash TEXT NOT NULL,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until INTEGER NOT NULL DEFAULT 0,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
          );
          CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            csrf TEXT NOT NULL,
            created INTEGER NOT NULL,
            last_seen INTEGER NOT NULL
          );
        )sql");
      },
      // 6: complaints and reports (投诉、举报) from the public (src/leads/reports.cc): the
      // receipt's secret only as an argon2id hash; target, content, contact and attachments
      // sealed to the office's key; no column for the sender's address, by design.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            lookup_id TEXT NOT NULL UNIQUE,
            receipt_hash TEXT NOT NULL,
            kind TEXT NOT NULL,
            channel TEXT NOT NULL,
            category TEXT NOT NULL DEFAULT '',
            region_code TEXT,
            anonymous INTEGER NOT NULL,
            target_sealed BLOB,
            content_sealed BLOB NOT NULL,
            contact_sealed BLOB,
            attachment_count INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'accepted',
            reply TEXT NOT NULL DEFAULT '',
            lead_id INTEGER REFERENCES leads(id),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX reports_status ON reports(status, id);
          CREATE INDEX reports_region ON reports(region_code);
          CREATE TABLE report_attachments (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            seq INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            name_sealed BLOB NOT NULL,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (report_id, seq)
          );
        )sql");
      },
      // 7: entity resolution (src/engine/resolve.h): the matches of the last scan, for review,
      // and analysts' confirm/reject decisions, which every later run honours.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE er_matches (
            dataset TEXT NOT NULL,
            key TEXT NOT NULL,
            col TEXT NOT NULL,
            value TEXT NOT NULL,
            kind TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            entity_name TEXT NOT NULL,
            probability REAL NOT NULL,
            weight REAL NOT NULL,
            status TEXT NOT NULL,
            explanation TEXT NOT NULL,
            scan_id INTEGER NOT NULL,
            PRIMARY KEY (dataset, key, col)
          );
          CREATE INDEX er_matches_status ON er_matches(status, probability);
          CREATE INDEX er_matches_entity ON er_matches(entity_key);
          CREATE TABLE er_decisions (
            dataset TEXT NOT NULL,
            key TEXT NOT NULL,
            col TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject')),
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (dataset, key, col, entity_key)
          );
        )sql");
      },
      // 8: 双随机一公开 random inspection draws (src/leads/draws.h, docs/draws.md): the register
      // snapshots as drawn from, the seed's commitment (the seed sealed until execution), the
      // targets, their inspectors, the recusals with reasons, and the results.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE draws (
            id INTEGER PRIMARY KEY,
            item TEXT NOT NULL,
            org TEXT NOT NULL,
            plan_json TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'planned',
            entity_register BLOB NOT NULL,
            entity_register_sha256 TEXT NOT NULL,
            entity_count INTEGER NOT NULL,
            inspector_register BLOB NOT NULL,
            inspector_register_sha256 TEXT NOT NULL,
            inspector_count INTEGER NOT NULL,
            seed_commitment TEXT NOT NULL,
            seed_sealed BLOB,
            seed_hex TEXT,
            result_sha256 TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            executed_at TEXT,
            published_at TEXT
          );
          CREATE TABLE draw_targets (
            draw_id INTEGER NOT NULL REFERENCES draws(id),
            seq INTEGER NOT NULL,
            credit_code TEXT NOT NULL,
            name TEXT NOT NULL,
            risk TEXT NOT NULL,
            result TEXT NOT NULL DEFAULT '',
            result_date TEXT NOT NULL DEFAULT '',
            penalty_fen INTEGER NOT NULL DEFAULT 0,
            has_result INTEGER NOT NULL DEFAULT 0,
            entered_by TEXT,
            entered_at TEXT,
            PRIMARY KEY (draw_id, seq),
            UNIQUE (draw_id, credit_code)
          );
          CREATE TABLE draw_assignments (
            draw_id INTEGER NOT NULL REFERENCES draws(id),
            seq INTEGER NOT NULL,
            pos INTEGER NOT NULL,
            inspector_id TEXT NOT NULL,
            inspector_name TEXT NOT NULL,
            PRIMARY KEY (draw_id, seq, pos)
          );
          CREATE TABLE draw_recusals (
            draw_id INTEGER NOT NULL REFERENCES draws(id),
            credit_code TEXT NOT NULL,
            inspector_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (draw_id, credit_code, inspector_id)
          );
        )sql");
      },
      // 9: 12345 supervision notices (src/leads/hotline.h): 催办 (urge) and 督办 (supervise),
      // one per order, kind and deadline, so a sweep is idempotent; each also a ledger action.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE hotline_notices (
            id INTEGER PRIMARY KEY,
            complaint_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('urge', 'supervise')),
            deadline TEXT NOT NULL,
            as_of TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            issued_by TEXT NOT NULL,
            org TEXT NOT NULL DEFAULT '',
            region_code TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (complaint_id, kind, deadline)
          );
          CREATE INDEX hotline_notices_as_of ON hotline_notices(as_of);
        )sql");
      },
      // 10: 全过程记录 media of enforcement cases (src/leads/enforcement.h), kept by SHA-256
      // beside the imported files and committed by a file leaf each; publications of decisions
      // (执法公示), append-only, a correction superseding the one before.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE enforcement_media (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            file_name TEXT NOT NULL,
            mime TEXT NOT NULL,
            klass TEXT NOT NULL CHECK (klass IN ('video', 'audio', 'photo', 'document')),
            recorded_at TEXT NOT NULL DEFAULT '',
            uploaded_by TEXT NOT NULL,
            uploaded_at TEXT NOT NULL,
            UNIQUE (case_id, sha256)
          );
          CREATE TABLE enforcement_publications (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            decision_no TEXT NOT NULL DEFAULT '',
            result TEXT NOT NULL,
            penalty_fen INTEGER NOT NULL DEFAULT 0,
            public_text TEXT NOT NULL,
            published_at TEXT NOT NULL,
            supersedes INTEGER REFERENCES enforcement_publications(id),
            reason TEXT NOT NULL DEFAULT '',
            published_by TEXT NOT NULL,
            created_at TEXT NOT NULL
          );
          CREATE INDEX enforcement_publications_case ON enforcement_publications(case_id);
        )sql");
      },
      // 11: 三会一课 party branch registry (src/leads/party.h); meetings stay in the
      // branch_meetings dataset. Every change is also a ledger action.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE party_branches (
            branch_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            org TEXT NOT NULL DEFAULT '',
            region_code TEXT NOT NULL DEFAULT '',
            secretary TEXT NOT NULL DEFAULT '',
            members INTEGER NOT NULL DEFAULT 0,
            voting_members INTEGER NOT NULL DEFAULT 0,
            set_up_on TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dissolved')),
            dissolved_on TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX party_branches_org ON party_branches(org);
        )sql");
      },
      // 12: 一岗双责 responsibility items per leader (src/leads/duties.h): the items with their
      // status and evidence, periodic checks, evidence files (kept under `<db>.files/`) and each
      // item's history. Every change is also a ledger action.
      [](Db* db) {
        return db->Exec(R"sql(
          CREATE TABLE duty_items (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            leader_id TEXT NOT NULL,
            leader_name TEXT NOT NULL,
            org TEXT NOT NULL,
            region_code TEXT NOT NULL DEFAULT '',
            post TEXT NOT NULL DEFAULT '',
            area TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('业务工作', '党风廉政建设')),
            task TEXT NOT NULL,
            assigned_on TEXT NOT NULL,
            due_on TEXT NOT NULL,
            frequency TEXT NOT NULL CHECK (frequency IN ('月度', '季度', '半年', '年度')),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
            status_reason TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '',
            completed_on TEXT NOT NULL DEFAULT '',
            cancelled_on TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX duty_items_leader ON duty_items(leader_id, year);
          CREATE INDEX duty_items_year ON duty_items(year, org);
          CREATE TABLE duty_checks (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES duty_items(id),
            checked_on TEXT NOT NULL,
            checker TEXT NOT NULL,
            result TEXT NOT NULL CHECK (result IN ('好', '较好', '一般', '差')),
            note TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
          );
          CREATE INDEX duty_checks_item ON duty_checks(item_id, checked_on);
          CREATE TABLE duty_attachments (
            item_id INTEGER NOT NULL REFERENCES duty_items(id),
            seq INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            PRIMARY KEY (item_id, seq)
          );
          CREATE TABLE duty_history (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES duty_items(id),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            details_json TEXT NOT NULL
          );
          CREATE INDEX duty_history_item ON duty_history(item_id, id);
        )sql");
      },
      // 13: the leads citing a record (a 12345 order's related findings, a
      // record's leads) without scanning every lead's evidence.
      [](Db* db) {
        return db->Exec("CREATE INDEX lead_evidence_record ON lead_evidence(dataset, key)");
      },
  };
  return m;
}

Status EnsureDatasetTable(Db* db, const DatasetDef& def) {
  std::string table = VersionsTable(def);
  std::string cols;
  for (const ColumnDef& c : def.columns) {
    cols += ",\n  " + QuoteIdent(c.name) + " " + SqlType(c.type);
  }
  QF_RETURN_IF_ERROR(db->Exec(
      "CREATE TABLE IF NOT EXISTS " + QuoteIdent(table) +
      " (\n  _row_id INTEGER PRIMARY KEY,\n  _key TEXT NOT NULL,\n  _version INTEGER NOT NULL,\n"
      "  _current INTEGER NOT NULL,\n  _import_id INTEGER NOT NULL,\n"
      "  _seen_import INTEGER NOT NULL,\n  _line INTEGER,\n  _row_hash BLOB NOT NULL" +
      cols + ",\n  _extra TEXT\n)"));
  // Columns declared after the table was created.
  std::set<std::string> existing;
  QF_ASSIGN_OR_RETURN(Stmt info, db->Prepare("PRAGMA table_info(" + QuoteIdent(table) + ")"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, info.Step());
    if (!row) break;
    existing.insert(info.Text(1));
  }
  bool added = false;
  for (const ColumnDef& c : def.columns) {
    if (existing.count(c.name)) continue;
    QF_RETURN_IF_ERROR(db->Exec("ALTER TABLE " + QuoteIdent(table) + " ADD COLUMN " +
                                QuoteIdent(c.name) + " " + SqlType(c.type)));
    added = true;
  }
  // One index serves both: the current version is always the highest, and a
  // second version 1 of a key (a key repeated within a fresh import) violates it.
  QF_RETURN_IF_ERROR(db->Exec("CREATE UNIQUE INDEX IF NOT EXISTS " +
                              QuoteIdent(table + "_key_version") + " ON " + QuoteIdent(table) +
                              "(_key, _version)"));
  // The view is rebuilt whenever columns change, and created when missing.
  QF_ASSIGN_OR_RETURN(
      int64_t has_view,
      db->QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE type='view' AND name='" + def.name +
                   "'"));
  if (added || has_view == 0) {
    std::string select = "_row_id";
    for (const ColumnDef& c : def.columns) select += ", " + QuoteIdent(c.name);
    select += ", _extra";
    QF_RETURN_IF_ERROR(db->Exec("DROP VIEW IF EXISTS " + QuoteIdent(def.name)));
    QF_RETURN_IF_ERROR(db->Exec("CREATE VIEW " + QuoteIdent(def.name) + " AS SELECT " + select +
                                " FROM " + QuoteIdent(table) + " WHERE _current = 1"));
  }
  return Status::OK();
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

std::string VersionsTable(const DatasetDef& def) { return def.name + "_versions"; }

Status Migrate(Db* db) {
  QF_RETURN_IF_ERROR(
      db->Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(int64_t version, db->QueryInt("SELECT MAX(version) FROM schema_version", 0));
  const auto& migrations = Migrations();
  if (version > static_cast<int64_t>(migrations.size())) {
    return Status::NotSupported("database schema version " + std::to_string(version) +
                                " is newer than this program knows (" +
                                std::to_string(migrations.size()) + "); upgrade qingfeng");
  }
  for (size_t v = static_cast<size_t>(version); v < migrations.size(); ++v) {
    QF_RETURN_IF_ERROR(migrations[v](db).WithContext("schema migration " + std::to_string(v + 1)));
    QF_RETURN_IF_ERROR(
        db->Exec("INSERT INTO schema_version(version) VALUES (" + std::to_string(v + 1) + ")"));
  }
  for (const DatasetDef& def : AllDatasets()) {
    QF_RETURN_IF_ERROR(EnsureDatasetTable(db, def).WithContext("dataset table " + def.name));
  }
  return tx.Commit();
}

}  // namespace qf
