// PLACEHOLDER until the XLSX reader lands (being written now).
#include "ingest/xlsx_reader.h"
namespace qf {
struct XlsxReader::Impl { std::vector<StreamInfo> streams; };
XlsxReader::XlsxReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxReader::~XlsxReader() = default;
Result<std::unique_ptr<XlsxReader>> XlsxReader::Open(const std::string&, const std::string&, const std::string&) {
  return Status::NotSupported("xlsx");
}
const std::vector<StreamInfo>& XlsxReader::streams() const { return impl_->streams; }
Result<bool> XlsxReader::Next(Record*) { return false; }
double XlsxReader::Progress() const { return 1; }
}  // namespace qf
