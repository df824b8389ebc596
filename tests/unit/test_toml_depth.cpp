// Hostile experiment files: nesting that would overflow toml++'s stack, and files that are not
// files (a device, a pipe) or are too large, each refused with the place and the limit.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config.hpp"
#include "config_test_support.hpp"
#include "toml_depth.hpp"

namespace steper {
namespace {

using testing::config_error;
using testing::ExperimentDir;

std::string repeat(const std::string& part, int times, const std::string& separator) {
  std::string text = part;
  for (int i = 1; i < times; ++i) text += separator + part;
  return text;
}

TEST(TomlDepth, DeepDottedKeysHeadersAndInlineValuesAreRefusedAtTheirPlace) {
  const std::string deep_key = repeat("a", 100000, ".") + " = 1\n";
  EXPECT_EQ(config_error([&] { check_toml_depth(deep_key, "e.toml"); }),
            "e.toml:1:256: tables and arrays nested 129 levels deep; at most 128 are allowed");
  const std::string deep_header = "x = 1\n[" + repeat("a", 200, ".") + "]\n";
  EXPECT_EQ(config_error([&] { check_toml_depth(deep_header, "e.toml"); }),
            "e.toml:2:257: tables and arrays nested 129 levels deep; at most 128 are allowed");
  // Under a 100-level header, 30 more levels of dotted key pass the limit together.
  const std::string header_then_key = "[" + repeat("a", 100, ".") + "]\n" + repeat("b", 30, ".") + " = 1\n";
  EXPECT_NE(config_error([&] { check_toml_depth(header_then_key, "e.toml"); }).find("e.toml:2:"), std::string::npos);
  // Inline tables whose keys are dotted: each level adds its dots.
  std::string inline_tables = "x = ";
  for (int i = 0; i < 20; ++i) inline_tables += "{ " + repeat("k", 10, ".") + " = ";
  inline_tables += "1" + std::string(20, '}') + "\n";
  EXPECT_NE(config_error([&] { check_toml_depth(inline_tables, "e.toml"); }).find("nested 129 levels"),
            std::string::npos);
}

TEST(TomlDepth, DotsInStringsCommentsAndNumbersAreNotNesting) {
  const std::string dots = std::string(500, '.');
  const std::string text = "[grid]\n\"loss.name\" = [\"" + dots + "\", '" + dots + "']\n# " + dots +
                           "\nx = \"\"\"\n" + dots + "\n\"\"\"\ny = '''" + dots + "'''\nz = [1.5, 2.5, 1979-05-27T07:32:00.999]\n" +
                           "e = \"esc \\\" " + dots + "\"\n[[" + repeat("t", 120, ".") + "]]\n" +
                           repeat("u", 8, ".") + " = 1\n";
  EXPECT_NO_THROW(check_toml_depth(text, "e.toml"));
}

TEST(TomlDepth, ExperimentLoaderRefusesDeepFilesBeforeParsing) {
  ExperimentDir dir;
  const std::string file = dir.write("deep.toml", "[train]\n" + repeat("a", 100000, ".") + " = 1\n");
  EXPECT_EQ(config_error([&] { Experiment::load(file); }),
            file + ":2:254: tables and arrays nested 129 levels deep; at most 128 are allowed");
  const std::string base = dir.write("child.toml", "base = \"deep.toml\"\n");
  EXPECT_NE(config_error([&] { Experiment::load(base); }).find("nested 129 levels"), std::string::npos);
  EXPECT_NE(config_error([&] { Experiment::load(dir.write("ok.toml", "seed = 1\n"), {"train." + repeat("a", 200, ".") + "=1"}); })
                .find("more than 128 parts"),
            std::string::npos);
}

TEST(TomlDepth, ExperimentFilesThatAreNotRegularFilesOrTooLargeAreRefused) {
  ExperimentDir dir;
  EXPECT_EQ(config_error([] { Experiment::load("/dev/zero"); }),
            "cannot read experiment file '/dev/zero': it is not a regular file (a device, pipe or socket)");
  const std::string fifo = dir.path("pipe.toml");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(config_error([&] { Experiment::load(dir.write("child.toml", "base = \"pipe.toml\"\n")); })
                .find("cannot read base file '" + fifo + "': it is not a regular file"),
            std::string::npos);
  const std::string large = dir.path("large.toml");
  std::filesystem::resize_file(dir.write("large.toml", ""), (std::uintmax_t{16} << 20) + 1);
  EXPECT_EQ(config_error([&] { Experiment::load(large); }),
            "cannot read experiment file '" + large + "': it is larger than 16 MiB");
}

}  // namespace
}  // namespace steper
