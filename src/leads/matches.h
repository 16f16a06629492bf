// Entity resolution in the store: the matches of the last scan (er_matches),
// which analysts review, and their confirm/reject decisions (er_decisions),
// which every later resolution honours. Decisions are user actions and go to
// the ledger.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/network.h"
#include "engine/resolve.h"
#include "engine/snapshot.h"
#include "store/db.h"

namespace qf::leads {

Result<std::vector<engine::Decision>> LoadDecisions(Db* db);

// Records an analyst's decision (replacing an earlier one on the same
// mention and entity) and a ledger action. The mention must exist in the
// last scan's matches, and the entity must be a candidate there or a known
// party key (checked by the caller's resolution run on the next scan).
Status SaveDecision(Db* db, const engine::Decision& d, const std::string& actor,
                    const std::string& note);

// Replaces er_matches with what `res` decided about the name-only mentions
// (every status), and the rows with an ID whose name disagrees with the
// registry ("name_mismatch"). Runs inside the caller's transaction.
Status WriteMatches(Db* db, int64_t scan_id, const engine::Snapshot& snap,
                    const engine::Resolution& res);

// "matched", "review", "unmatched", "confirmed", "rejected", "name_mismatch".
const char* MatchStatusName(engine::LinkStatus s);

struct MatchFilter {
  std::string status;   // one of the names above; "" = all
  std::string dataset;  // "" = all
  std::string entity_key;
  std::string search;  // substring of the mention's value or the entity's name
  int64_t limit = 50, offset = 0;
};

struct MatchRow {
  int64_t id = 0;  // the row's id in er_matches (until the next scan rewrites it)
  std::string dataset, key, column, value, kind, entity_key, entity_name, status, explanation;
  double probability = 0, weight = 0;
  int64_t scan_id = 0;
};

Result<std::vector<MatchRow>> ListMatches(Db* db, const MatchFilter& f);
Result<int64_t> CountMatches(Db* db, const MatchFilter& f);
// One row by its id; NotFound when the id is unknown (e.g. rewritten by a scan).
Result<MatchRow> GetMatch(Db* db, int64_t id);

// The predictions for evaluation: mention → entity key, for matched and confirmed rows.
struct MatchPrediction {
  std::string dataset, key, column, entity_key;
};
Result<std::vector<MatchPrediction>> MatchedPredictions(Db* db);

}  // namespace qf::leads

namespace qf::leads {

// A snapshot with the network's inputs and the network built on it, with the
// analysts' decisions applied: for the CLI's and the server's graph queries.
struct LiveNetwork {
  std::unique_ptr<engine::Snapshot> snap;
  std::unique_ptr<engine::Network> net;
};
Result<LiveNetwork> LoadNetwork(Db* db);

}  // namespace qf::leads
