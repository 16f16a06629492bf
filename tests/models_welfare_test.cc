// Welfare models on the synthetic city: quality against the planted truth.
#include <gtest/gtest.h>

#include "model_test_util.h"

namespace qf {
namespace {

using qf::testing::ExpectQuality;
using qf::testing::RunOnCity;

TEST(WelfareModels, AfterDeath) {
  auto r = RunOnCity("welfare_after_death");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("死亡"), std::string::npos);
}

}  // namespace
}  // namespace qf
