// PLACEHOLDER until the XLSX reader lands (being written now).
#include "ingest/ocds_reader.h"
namespace qf {
struct OcdsReader::Impl { std::vector<StreamInfo> streams; };
OcdsReader::OcdsReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OcdsReader::~OcdsReader() = default;
Result<std::unique_ptr<OcdsReader>> OcdsReader::Open(const std::string&) {
  return Status::NotSupported("ocds");
}
const std::vector<StreamInfo>& OcdsReader::streams() const { return impl_->streams; }
Result<bool> OcdsReader::Next(Record*) { return false; }
double OcdsReader::Progress() const { return 1; }
}  // namespace qf
namespace qf { std::string OcdsReader::Encoding() const { return ""; } }
