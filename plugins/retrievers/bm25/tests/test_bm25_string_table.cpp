// The token interning table: lookups, inline and long keys, growth, insertion order.
#include <gtest/gtest.h>

#include <string>

#include "string_table.hpp"

namespace steper::bm25 {
namespace {

std::string key_of(int i) {
  // Short keys, keys at the inline limit (24 bytes), longer ones and ones past 255 bytes.
  switch (i % 4) {
    case 0: return "k" + std::to_string(i);
    case 1: return std::string(24 - std::to_string(i).size(), 'a') + std::to_string(i);
    case 2: return std::string(40, 'b') + std::to_string(i);
    default: return std::string(300, 'c') + std::to_string(i);
  }
}

TEST(Bm25StringTable, FindsWhatWasInsertedThroughGrowth) {
  StringTable table(4);
  constexpr int kKeys = 5000;
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = key_of(i);
    ASSERT_EQ(table.find(StringTable::Key(key)), nullptr) << key;
    EXPECT_EQ(table.insert(StringTable::Key(key), static_cast<std::uint32_t>(i * 7)), static_cast<std::uint32_t>(i));
  }
  ASSERT_EQ(table.size(), static_cast<std::size_t>(kKeys));
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = key_of(i);
    std::uint32_t* value = table.find(StringTable::Key(key));
    ASSERT_NE(value, nullptr) << key;
    EXPECT_EQ(*value, static_cast<std::uint32_t>(i * 7));
    EXPECT_EQ(table.key(i), key);
  }
  *table.find(StringTable::Key(key_of(3))) = 99;
  EXPECT_EQ(*table.find(StringTable::Key(key_of(3))), 99u);
}

TEST(Bm25StringTable, TellsApartKeysThatDifferOnlyInLengthOrLastByte) {
  StringTable table;
  table.insert(StringTable::Key(""), 0);
  table.insert(StringTable::Key("a"), 1);
  table.insert(StringTable::Key(std::string_view("a\0", 2)), 2);  // zero-padded inline, like "a"
  table.insert(StringTable::Key(std::string(24, 'x')), 3);
  table.insert(StringTable::Key(std::string(25, 'x')), 4);
  EXPECT_EQ(*table.find(StringTable::Key(std::string_view("a\0", 2))), 2u);
  EXPECT_EQ(*table.find(StringTable::Key("a")), 1u);
  EXPECT_EQ(*table.find(StringTable::Key("")), 0u);
  EXPECT_EQ(*table.find(StringTable::Key(std::string(24, 'x'))), 3u);
  EXPECT_EQ(*table.find(StringTable::Key(std::string(25, 'x'))), 4u);
  EXPECT_EQ(table.find(StringTable::Key(std::string(23, 'x'))), nullptr);
  EXPECT_EQ(table.find(StringTable::Key(std::string(26, 'x'))), nullptr);
}

}  // namespace
}  // namespace steper::bm25
