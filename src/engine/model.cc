#include "engine/model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/text.h"
#include "models/families.h"

namespace qf::engine {

namespace {

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "qingfeng: internal error: %s\n", msg.c_str());
  std::abort();
}

class FunctionModel : public Model {
 public:
  FunctionModel(ModelInfo info, RunFn run) : info_(std::move(info)), run_(std::move(run)) {}
  const ModelInfo& info() const override { return info_; }
  Status Run(const RunContext& ctx, std::vector<Finding>* out) const override {
    return run_(ctx, out);
  }

 private:
  ModelInfo info_;
  RunFn run_;
};

}  // namespace

const char* SeverityName(Severity s, bool chinese) {
  switch (s) {
    case Severity::kHigh:
      return chinese ? "高" : "high";
    case Severity::kMedium:
      return chinese ? "中" : "medium";
    case Severity::kLow:
      return chinese ? "低" : "low";
  }
  return "";
}

const std::string& Params::Text(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) Die("model reads undeclared parameter " + std::string(name));
  return it->second;
}

double Params::Number(std::string_view name) const {
  const std::string& v = Text(name);
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str()) Die("parameter " + std::string(name) + " is not a number: " + v);
  return d;
}

int64_t Params::Fen(std::string_view name) const {
  return static_cast<int64_t>(std::llround(Number(name) * 100.0));
}

std::vector<std::string> Params::List(std::string_view name) const {
  std::string v = Text(name);
  // Chinese separators become commas, then split.
  for (const char* sep : {"，", "、", "；"}) {
    size_t p;
    while ((p = v.find(sep)) != std::string::npos) v.replace(p, std::string_view(sep).size(), ",");
  }
  std::replace(v.begin(), v.end(), ';', ',');
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find(',', start);
    if (end == std::string::npos) end = v.size();
    std::string item(Trim(std::string_view(v).substr(start, end - start)));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

std::unique_ptr<Model> MakeModel(ModelInfo info, RunFn run) {
  return std::make_unique<FunctionModel>(std::move(info), std::move(run));
}

Evidence MakeEvidence(const Snapshot& snap, const Table& t, size_t row,
                      const std::vector<std::string>& columns) {
  Evidence e;
  e.dataset = t.name();
  e.key = std::string(snap.key(t, row));
  for (const std::string& c : columns) {
    std::string v = snap.Format(t, c, row);
    if (!v.empty()) e.fields.emplace_back(c, std::move(v));
  }
  return e;
}

std::string MaskedName(std::string_view name) {
  if (name.empty()) return "某某";
  // The first UTF-8 character is the surname (two-character surnames keep one,
  // which still masks).
  size_t n = 1;
  auto c = static_cast<unsigned char>(name[0]);
  if (c >= 0xF0) {
    n = 4;
  } else if (c >= 0xE0) {
    n = 3;
  } else if (c >= 0xC0) {
    n = 2;
  }
  return std::string(name.substr(0, std::min(n, name.size()))) + "某某";
}

std::string Yuan(int64_t fen) { return FormatFen(fen); }

int ScaleScore(int base, double excess, double full) {
  double s = base;
  if (full > 0 && excess > 0) s += (100.0 - base) * std::min(1.0, excess / full);
  return std::clamp(static_cast<int>(std::lround(s)), 0, 100);
}

const std::vector<std::unique_ptr<Model>>& BuiltinModels() {
  static const auto* models = [] {
    auto* list = new models::ModelList();
    models::RegisterWelfareModels(list);
    models::RegisterFundsModels(list);
    models::RegisterProcurementModels(list);
    models::RegisterIntegrityModels(list);
    models::RegisterConductModels(list);
    models::RegisterComplaintsModels(list);
    models::RegisterPartyModels(list);
    models::RegisterEnforcementModels(list);
    models::RegisterOcdsModels(list);
    models::RegisterNetworkModels(list);
    return list;
  }();
  return *models;
}

const Model* FindBuiltinModel(std::string_view id) {
  for (const auto& m : BuiltinModels()) {
    if (m->info().id == id) return m.get();
  }
  return nullptr;
}

}  // namespace qf::engine
