#include "steper/length_groups.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace steper {
namespace {

using Groups = std::vector<std::vector<std::string>>;

Groups grouped(std::vector<std::string> samples, double max_padding = 2.0) {
  return groups_by_length(std::move(samples), [](const std::string& s) { return s.size(); }, max_padding);
}

TEST(LengthGroups, ANewGroupStartsPastTwiceTheGroupsShortest) {
  EXPECT_EQ(grouped({"aaaaaaaaa", "bbb", "cccccc", "ddddddd", "e"}),
            (Groups{{"e"}, {"bbb", "cccccc"}, {"ddddddd", "aaaaaaaaa"}}));
}

TEST(LengthGroups, EqualLengthsKeepTheirOrder) {
  EXPECT_EQ(grouped({"b2", "a1", "c3"}), (Groups{{"b2", "a1", "c3"}}));
}

TEST(LengthGroups, EmptySamplesGroupWithLengthOne) {
  EXPECT_EQ(grouped({"", "xx", "xxx"}), (Groups{{"", "xx"}, {"xxx"}}));
  EXPECT_TRUE(grouped({}).empty());
}

TEST(LengthGroups, TheAllowedPaddingIsAParameter) {
  EXPECT_EQ(grouped({"aa", "bbb", "cccc"}, 1.5), (Groups{{"aa", "bbb"}, {"cccc"}}));
}

}  // namespace
}  // namespace steper
