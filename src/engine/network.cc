#include "engine/network.h"

#include <chrono>

namespace qf::engine {

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// An ID number or a credit code: 18 letters and digits. A public body the
// resolver knows only by its spelled name is left out of the graph's payee
// side (the graph keys those by normalised name, not by a spelling's code).
bool IsPartyCode(std::string_view s) {
  if (s.size() != 18) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<Network>> Network::Build(const Snapshot& snap,
                                                const std::vector<Decision>& decisions,
                                                const NetworkOptions& options) {
  std::unique_ptr<Network> n(new Network());
  auto t0 = std::chrono::steady_clock::now();
  QF_ASSIGN_OR_RETURN(n->resolution_, Resolution::Build(snap, decisions, options.link));
  n->resolve_seconds_ = Since(t0);
  auto t1 = std::chrono::steady_clock::now();
  const Resolution* res = n->resolution_.get();
  PartyFn party = [res, &snap](const Table& t, uint32_t row, std::string_view column) {
    uint32_t code = res->PartyOf(t, row, column);
    return code != kNoString && IsPartyCode(snap.str(code)) ? code : kNoString;
  };
  QF_ASSIGN_OR_RETURN(n->graph_, Graph::Build(snap, options.graph, party));
  n->graph_seconds_ = Since(t1);
  return n;
}

std::vector<Input> NetworkInputs() {
  std::vector<Input> out = ResolveInputs();
  for (Input& in : GraphInputs()) out.push_back(std::move(in));
  return out;
}

}  // namespace qf::engine
