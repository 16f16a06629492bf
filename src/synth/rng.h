// The synthetic city's random numbers: one std::mt19937_64 per generator,
// seeded from (--seed, stream id), so what a generator writes does not depend
// on the order in which the generators run. The distributions are written
// out here (not std::*_distribution, whose algorithms differ between standard
// libraries) so a seed gives the same city everywhere.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace qf::synth {

// SplitMix64 finaliser: a good 64-bit mix for deriving seeds and hashes.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) : eng_(Mix64(seed ^ Mix64(stream * 0x100000001B3ULL))) {}
  uint64_t Next() { return eng_(); }
  // Uniform in [0, 1).
  double U() { return static_cast<double>(eng_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [lo, hi] (inclusive).
  int64_t Int(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(eng_() % span);
  }
  bool Chance(double p) { return U() < p; }
  double Normal(double mean, double sd) {
    // Box–Muller; one value per call keeps the stream simple.
    double u1 = U(), u2 = U();
    if (u1 < 1e-300) u1 = 1e-300;
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double LogNormal(double median, double sigma) { return median * std::exp(Normal(0, sigma)); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }
  // Index by weights (need not sum to 1).
  size_t Weighted(const double* w, size_t n) {
    double total = 0;
    for (size_t i = 0; i < n; ++i) total += w[i];
    double x = U() * total;
    for (size_t i = 0; i < n; ++i) {
      if (x < w[i]) return i;
      x -= w[i];
    }
    return n - 1;
  }

 private:
  std::mt19937_64 eng_;
};

}  // namespace qf::synth
