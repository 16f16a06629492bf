#include "engine/eval.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

namespace qf::engine {

namespace {

// Calls `parse(object, bad)` for each JSON object line of `path`; `bad(what)`
// makes the error that names the file and line.
template <typename T, typename Parse>
Result<std::vector<T>> ReadJsonLines(const std::string& path, Parse parse) {
  std::ifstream in(path);
  if (!in) return Status::IOError("cannot open " + path);
  std::vector<T> items;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line == "\r") continue;
    auto bad = [&](const std::string& what) {
      return Status::InvalidInput(path + " line " + std::to_string(n) + ": " + what,
                                  path + " 第 " + std::to_string(n) + " 行：" + what);
    };
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
    QF_ASSIGN_OR_RETURN(T item, parse(j, bad));
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

Result<std::vector<TruthItem>> ReadTruth(const std::string& path) {
  return ReadJsonLines<TruthItem>(
      path, [](const nlohmann::json& j, const auto& bad) -> Result<TruthItem> {
        if (!j.contains("kind") || !j["kind"].is_string()) return bad("no \"kind\"");
        if (!j.contains("keys") || !j["keys"].is_array()) return bad("no \"keys\" list");
        TruthItem t;
        t.id = j.value("id", "");
        t.family = j.value("family", "");
        t.kind = j["kind"].get<std::string>();
        t.shape = j.value("shape", "");
        for (const auto& k : j["keys"]) {
          if (!k.is_object() || !k.contains("dataset") || !k.contains("key") ||
              !k["dataset"].is_string() || !k["key"].is_string()) {
            return bad("a key must be {\"dataset\": …, \"key\": …}");
          }
          t.keys.emplace_back(k["dataset"].get<std::string>(), k["key"].get<std::string>());
        }
        return t;
      });
}

std::vector<ModelQuality> Evaluate(const std::vector<std::string>& model_ids,
                                   const std::vector<LeadRecords>& leads,
                                   const std::vector<TruthItem>& truth,
                                   const std::vector<TruthItem>& near_misses) {
  using Rec = std::pair<std::string, std::string>;
  std::vector<ModelQuality> out;
  for (const std::string& id : model_ids) {
    ModelQuality q;
    q.model = id;
    // record → indexes of this kind's truth items / near misses holding it
    std::map<Rec, std::vector<size_t>> truth_by_rec, near_by_rec;
    std::vector<const TruthItem*> kind_truth, kind_near;
    for (const TruthItem& t : truth) {
      if (t.kind != id) continue;
      for (const Rec& r : t.keys) truth_by_rec[r].push_back(kind_truth.size());
      kind_truth.push_back(&t);
    }
    for (const TruthItem& t : near_misses) {
      if (t.kind != id) continue;
      for (const Rec& r : t.keys) near_by_rec[r].push_back(kind_near.size());
      kind_near.push_back(&t);
    }
    std::vector<bool> found(kind_truth.size()), flagged(kind_near.size());
    for (const LeadRecords& l : leads) {
      if (l.model != id) continue;
      ++q.leads;
      bool correct = false;
      for (const Rec& r : l.records) {
        if (auto it = truth_by_rec.find(r); it != truth_by_rec.end()) {
          correct = true;
          for (size_t i : it->second) found[i] = true;
        }
        if (auto it = near_by_rec.find(r); it != near_by_rec.end()) {
          for (size_t i : it->second) flagged[i] = true;
        }
      }
      if (correct) {
        ++q.correct;
      } else {
        q.false_leads.push_back(l.id);
      }
    }
    q.planted = static_cast<int>(kind_truth.size());
    q.near_misses = static_cast<int>(kind_near.size());
    for (size_t i = 0; i < kind_truth.size(); ++i) {
      if (found[i]) {
        ++q.found;
      } else {
        q.missed.push_back(kind_truth[i]->id);
      }
    }
    for (size_t i = 0; i < kind_near.size(); ++i) {
      if (flagged[i]) {
        ++q.near_misses_flagged;
        q.flagged_near_miss.push_back(kind_near[i]->id);
      }
    }
    out.push_back(std::move(q));
  }
  return out;
}

Result<std::vector<ErTruthItem>> ReadErTruth(const std::string& path) {
  return ReadJsonLines<ErTruthItem>(
      path, [](const nlohmann::json& j, const auto& bad) -> Result<ErTruthItem> {
        for (const char* field : {"dataset", "key", "column", "kind", "entity_key"}) {
          if (!j.contains(field) || !j[field].is_string()) {
            return bad(std::string("no \"") + field + "\" string");
          }
        }
        ErTruthItem t;
        t.dataset = j["dataset"].get<std::string>();
        t.key = j["key"].get<std::string>();
        t.column = j["column"].get<std::string>();
        t.value = j.value("value", "");
        t.kind = j["kind"].get<std::string>();
        t.entity_key = j["entity_key"].get<std::string>();
        t.variant = j.value("variant", "none");
        if (t.kind != "person" && t.kind != "org") return bad("\"kind\" must be person or org");
        return t;
      });
}

std::vector<ErQuality> EvaluateEr(const std::vector<ErTruthItem>& truth,
                                  const std::vector<ErPrediction>& predictions) {
  std::map<std::tuple<std::string, std::string, std::string>, const std::string*> predicted;
  for (const ErPrediction& p : predictions) {
    predicted[{p.dataset, p.key, p.column}] = &p.entity_key;
  }
  std::map<std::string, ErQuality> by_kind;
  ErQuality all;
  all.kind = "all";
  for (const ErTruthItem& t : truth) {
    auto it = predicted.find({t.dataset, t.key, t.column});
    const std::string got = it == predicted.end() ? std::string() : *it->second;
    for (ErQuality* q : {&by_kind[t.kind], &all}) {
      ++q->mentions;
      if (!got.empty()) {
        if (got == t.entity_key) {
          ++q->true_positive;
        } else {
          ++q->false_positive;
          if (!t.entity_key.empty()) ++q->false_negative;
        }
      } else if (!t.entity_key.empty()) {
        ++q->false_negative;
      }
      if (!t.entity_key.empty()) {
        auto& v = q->by_variant[t.variant];
        ++v.first;
        if (got == t.entity_key) ++v.second;
      }
    }
  }
  std::vector<ErQuality> out;
  for (auto& [kind, q] : by_kind) {
    q.kind = kind;
    out.push_back(std::move(q));
  }
  out.push_back(std::move(all));
  return out;
}

}  // namespace qf::engine
