// OCDS red flags exactly as the Open Contracting Partnership's tool Cardinal
// (open-contracting/cardinal-rs, `ocdscardinal prepare` then `ocdscardinal
// indicators`, all indicators enabled) computes them: R003, R018, R024, R025,
// R028, R030, R035, R036, R038, R048 and R058, with Cardinal's defaults.
//
// The input is the compiled release of each contracting process (table
// ocds_releases), in the order Cardinal would read its JSON Lines file. What
// Cardinal's `prepare` does with default settings is done first: numeric ids
// become strings and a lone tenderer/supplier/party object becomes a list.
// Cardinal's rules, in short (see its docs, cardinal.readthedocs.io):
//   * skipped everywhere: a release whose ocid is not a string, whose
//     tender/status is "cancelled", or whose procurementMethodDetails is in
//     `exclude_procurement_method_details`;
//   * amounts must be in the main currency: `currency`, else the first one
//     seen (by R024/R058's bid comparison or R036, in file order);
//   * R024, R028, R036, R058 compare prices only where procurementMethodDetails
//     passes `price_comparison_procurement_methods` (allow list) or
//     `no_price_comparison_procurement_methods` (deny list);
//   * fences are Q1−1.5·IQR / Q3+1.5·IQR with quartiles by statrs' method
//     unless a threshold is set.
// The result is Cardinal's output: per group (OCID, Buyer, ProcuringEntity,
// Tenderer) and identifier, the value of each indicator that fired.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qf::models {

// Cardinal's settings file, with its defaults. Lists are its pipe-separated values.
struct CardinalSettings {
  bool prepare = true;  // apply `prepare`'s default normalisation first
  // Global.
  std::string currency;  // empty: the first currency seen
  std::vector<std::string> no_price_comparison_procurement_methods;
  std::vector<std::string> price_comparison_procurement_methods;
  std::vector<std::string> exclude_procurement_method_details;  // [exclusions]
  // [R003] shorter than this many days; empty methods = every procurementMethod.
  int64_t r003_threshold = 15;
  std::vector<std::string> r003_procurement_methods;
  std::map<std::string, int64_t> r003_procurement_method_details;
  // [R018]
  std::vector<std::string> r018_procurement_methods = {"open", "selective"};
  // [R024] [R058] lower / upper fence; nullopt = computed from the data.
  std::optional<double> r024_threshold;
  std::optional<double> r058_threshold;
  // [R025]
  int64_t r025_percentile = 75;
  std::optional<double> r025_threshold;
  // [R035] at least this many disqualified other tenderers (at least 1).
  int64_t r035_threshold = 1;
  // [R038]
  std::optional<double> r038_threshold;
  int64_t r038_minimum_submitted_bids = 2;
  int64_t r038_minimum_contracting_processes = 2;
  // [R048]
  int64_t r048_digits = 2;
  std::optional<int64_t> r048_threshold;
  int64_t r048_minimum_contracting_processes = 20;
};

enum class CardinalGroup { kOcid, kBuyer, kProcuringEntity, kTenderer };
const char* CardinalGroupName(CardinalGroup g);  // "OCID", "Buyer", "ProcuringEntity", "Tenderer"

// One result of Cardinal's output, plus what people need to read it.
struct OcdsFlag {
  std::string indicator;  // "R003" … "R058"
  CardinalGroup group = CardinalGroup::kOcid;
  std::string id;     // the ocid, or the organisation's id
  double value = 0;   // Cardinal's value for it
  std::string name;   // tender title, or organisation name ("" when unknown)
  std::string title;  // OCID: tender title; others: ""
  std::vector<std::pair<std::string, std::string>> facts;  // the values that matter
  std::vector<std::string> ocids;  // organisation flags: the processes behind it (first 20)
  double amount = 0;               // OCID: value of the active awards (in `currency`)
  std::string currency;
  std::string summary;  // Chinese sentence with the facts
};

// Cardinal's "Meta": quartiles and fences used, per indicator ("R024" → {"q1": …}).
using CardinalMeta = std::map<std::string, std::map<std::string, double>>;

// Streaming form: Add() each compiled release in file order, then Finish() once.
// Memory holds per-organisation counters and the details of flagged processes,
// not the releases.
class CardinalIndicators {
 public:
  explicit CardinalIndicators(CardinalSettings settings);
  ~CardinalIndicators();
  CardinalIndicators(const CardinalIndicators&) = delete;
  CardinalIndicators& operator=(const CardinalIndicators&) = delete;

  void Add(nlohmann::json release);
  // Flags sorted by indicator, group and id.
  std::vector<OcdsFlag> Finish(CardinalMeta* meta = nullptr);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

std::vector<OcdsFlag> ComputeCardinalIndicators(
    const std::vector<nlohmann::json>& compiled_releases, const CardinalSettings& settings,
    CardinalMeta* meta = nullptr);

// Cardinal's quantile (statrs 0.16 `Data::quantile`, R-8); NaN when empty.
double CardinalQuantile(std::vector<double> data, double tau);

// Whole days from `start` to `end` (chrono's DateTime::parse_from_rfc3339 and
// Duration::num_days, truncated toward zero); nullopt when either is not RFC 3339.
std::optional<int64_t> CardinalDaysBetween(const std::string& start, const std::string& end);

}  // namespace qf::models
