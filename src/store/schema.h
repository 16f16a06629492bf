// Versioned schema: numbered migrations for the platform's own tables, and
// dataset tables derived from the dataset declarations (new declared columns
// are added in place, so a declaration change needs no hand-written migration).
#pragma once

#include <string>

#include "common/status.h"
#include "ingest/dataset.h"
#include "store/db.h"

namespace qf {

// Brings the database to the newest schema. Idempotent; runs in one transaction.
Status Migrate(Db* db);
int LatestSchemaVersion();

// "<dataset>_versions": every version of every row. The view "<dataset>" shows
// the current versions only, with the contract's column names.
std::string VersionsTable(const DatasetDef& def);

}  // namespace qf
