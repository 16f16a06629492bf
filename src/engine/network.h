// The relationship network a scan builds once for the models that read it:
// entity resolution (resolve.h: name-only mentions matched to persons and
// organisations) and the relationship graph (graph.h) built with those
// matches, so a payment to "阜新鑫源建築有限責任公司" without a credit code still
// joins the company it was paid to.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/graph.h"
#include "engine/resolve.h"
#include "engine/snapshot.h"

namespace qf::engine {

struct NetworkOptions {
  LinkOptions link;
  GraphOptions graph;
};

class Network {
 public:
  // Resolves the snapshot's mentions (honouring the analysts' decisions) and
  // builds the graph on the result. The snapshot must hold NetworkInputs().
  static Result<std::unique_ptr<Network>> Build(const Snapshot& snap,
                                                const std::vector<Decision>& decisions,
                                                const NetworkOptions& options = {});

  const Resolution& resolution() const { return *resolution_; }
  const Graph& graph() const { return *graph_; }
  // The party code (ID number / credit code, in the snapshot's pool) a
  // mention's cell stands for: the ID column when the row has one, else the
  // resolved entity; kNoString when neither.
  uint32_t PartyOf(const Table& t, uint32_t row, std::string_view column) const {
    return resolution_->PartyOf(t, row, column);
  }
  double resolve_seconds() const { return resolve_seconds_; }
  double graph_seconds() const { return graph_seconds_; }

 private:
  Network() = default;
  std::unique_ptr<Resolution> resolution_;
  std::unique_ptr<Graph> graph_;
  double resolve_seconds_ = 0, graph_seconds_ = 0;
};

// What Network::Build reads: the resolution's and the graph's inputs.
std::vector<Input> NetworkInputs();

}  // namespace qf::engine
