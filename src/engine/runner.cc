#include "engine/runner.h"

#include <tbb/parallel_for.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine/network.h"

namespace qf::engine {

namespace {

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

}  // namespace

Result<Settings> Settings::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Settings();
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Result<Settings> Settings::Parse(const std::string& text, const std::string& origin) {
  Settings s;
  s.origin_ = origin;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidInput(origin + ": not a JSON object (expected {\"models\": {…}})",
                                origin + "：不是有效的 JSON 对象（应为 {\"models\": {…}}）");
  }
  if (!j.contains("models")) return s;
  if (!j["models"].is_object()) {
    return Status::InvalidInput(origin + ": \"models\" must be an object",
                                origin + "：\"models\" 必须是对象");
  }
  for (auto& [model, params] : j["models"].items()) {
    if (!params.is_object()) {
      return Status::InvalidInput(origin + ": models." + model + " must be an object",
                                  origin + "：models." + model + " 必须是对象");
    }
    for (auto& [name, value] : params.items()) {
      if (name == "enabled") {
        if (!value.is_boolean()) {
          return Status::InvalidInput(origin + ": models." + model + ".enabled must be true/false",
                                      origin + "：models." + model + ".enabled 应为 true 或 false");
        }
        s.enabled_[model] = value.get<bool>();
      } else if (value.is_string()) {
        s.values_[model][name] = value.get<std::string>();
      } else if (value.is_number_integer()) {
        s.values_[model][name] = std::to_string(value.get<int64_t>());
      } else if (value.is_number()) {
        std::ostringstream os;
        os.precision(17);
        os << value.get<double>();
        s.values_[model][name] = os.str();
      } else if (value.is_array()) {
        std::string joined;
        for (const auto& item : value) {
          if (!item.is_string()) {
            return Status::InvalidInput(
                origin + ": models." + model + "." + name + " must list strings",
                origin + "：models." + model + "." + name + " 应为字符串列表");
          }
          if (!joined.empty()) joined += ",";
          joined += item.get<std::string>();
        }
        s.values_[model][name] = joined;
      } else {
        return Status::InvalidInput(
            origin + ": models." + model + "." + name + " must be a number, text or list",
            origin + "：models." + model + "." + name + " 应为数字、文本或列表");
      }
    }
  }
  return s;
}

Result<Params> Settings::ParamsFor(const ModelInfo& info) const {
  std::map<std::string, std::string> values;
  for (const ParamDef& p : info.params) values[p.name] = p.default_value;
  auto it = values_.find(info.id);
  if (it != values_.end()) {
    for (const auto& [name, value] : it->second) {
      auto d = values.find(name);
      if (d == values.end()) {
        std::string known;
        for (const ParamDef& p : info.params) known += (known.empty() ? "" : ", ") + p.name;
        return Status::InvalidInput(
            origin_ + ": model " + info.id + " has no parameter \"" + name +
                "\" (it has: " + known + ")",
            origin_ + "：模型 " + info.id + " 没有参数“" + name + "”（可用参数：" + known + "）");
      }
      if (IsNumber(d->second) && !IsNumber(value)) {
        return Status::InvalidInput(
            origin_ + ": " + info.id + "." + name + " must be a number, not \"" + value + "\"",
            origin_ + "：" + info.id + "." + name + " 应为数字，而不是“" + value + "”");
      }
      d->second = value;
    }
  }
  return Params(std::move(values));
}

bool Settings::Enabled(const std::string& model_id) const {
  auto it = enabled_.find(model_id);
  return it == enabled_.end() || it->second;
}

std::vector<std::string> Settings::ModelIds() const {
  std::set<std::string> ids;
  for (const auto& [id, v] : values_) ids.insert(id);
  for (const auto& [id, v] : enabled_) ids.insert(id);
  return {ids.begin(), ids.end()};
}

std::string SettingsPathFor(const std::string& db_path) {
  if (const char* env = std::getenv("QINGFENG_SETTINGS"); env && *env) return env;
  return db_path + ".settings.json";
}

bool UsesNetwork(const std::vector<const Model*>& models) {
  for (const Model* m : models) {
    if (m->info().uses_network) return true;
  }
  return false;
}

std::vector<Input> InputsOf(const std::vector<const Model*>& models) {
  std::vector<Input> inputs;
  for (const Model* m : models) {
    for (const Input& in : m->info().inputs) inputs.push_back(in);
  }
  if (UsesNetwork(models)) {
    for (Input& in : NetworkInputs()) inputs.push_back(std::move(in));
  }
  return inputs;
}

std::vector<ModelRun> RunModels(const Snapshot& snap, const std::vector<const Model*>& models,
                                const Settings& settings,
                                const std::function<void(const std::string&)>& done,
                                const std::string& db_path, const Network* network) {
  std::vector<ModelRun> runs(models.size());
  std::mutex mu;
  tbb::parallel_for(size_t{0}, models.size(), [&](size_t i) {
    ModelRun& run = runs[i];
    run.model = models[i];
    auto start = std::chrono::steady_clock::now();
    auto params = settings.ParamsFor(run.model->info());
    if (!params.ok()) {
      run.status = params.status();
    } else {
      RunContext ctx{snap, params.value(), db_path,
                     run.model->info().uses_network ? network : nullptr};
      run.status = run.model->Run(ctx, &run.findings);
    }
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (done) {
      std::lock_guard<std::mutex> lock(mu);
      done(run.model->info().id);
    }
  });
  return runs;
}

}  // namespace qf::engine
