// OCDS (Open Contracting Data Standard) 1.0 and 1.1 JSON: release packages,
// record packages, single releases or records, and JSON Lines of compiled
// releases (or of packages). Mapped onto three streams — tenders, bids and
// contracts — whose headers are the contract's column names plus extra
// attributes (ocds_* fields keeping what the mapping could not express).
// Streams through the input with a SAX parser: memory holds one release or
// record at a time, plus compact per-ocid state for merging releases.
// Besides the rows, every ocid's compiled release can be handed out as JSON
// text (KeepCompiledReleases, TakeCompiled), whether or not its rows pass the
// importer's checks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ingest/source.h"

namespace qf {

class OcdsReader : public RecordSource {
 public:
  // Fails when the file is not JSON at all, or is JSON but not OCDS (naming
  // what was found instead). Text encodings other than UTF-8 are converted.
  static Result<std::unique_ptr<OcdsReader>> Open(const std::string& path);
  ~OcdsReader() override;

  const std::vector<StreamInfo>& streams() const override;
  Result<bool> Next(Record* rec) override;
  double Progress() const override;
  std::string Encoding() const override;
  std::string Format() const override { return "ocds"; }

  // A compiled release, as the red-flag models read it (table ocds_releases).
  struct Compiled {
    std::string ocid;
    std::string json;
  };
  // Off by default. When on, the compiled release of every ocid of the file is kept for
  // TakeCompiled, ready when Next() has returned that ocid's rows.
  void KeepCompiledReleases(bool on);
  // Moves out the compiled releases kept since the last call. The caller drains them as
  // it reads (the importer does, per batch of rows) so that memory stays bounded.
  void TakeCompiled(std::vector<Compiled>* out);

  struct Impl;

 private:
  explicit OcdsReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qf
