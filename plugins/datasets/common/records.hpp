// Iterates the records of the two file shapes: a JSON array of objects (HotpotQA, 2Wiki), mapped
// into memory once and parsed one element at a time in place, and JSONL (MuSiQue, IRCoT),
// streamed line by line.
#pragma once

#include <functional>
#include <string>

#include "json_errors.hpp"

namespace steper::datasets {

using ReadRecord = std::function<void(ondemand::object& record, JsonSource& source)>;

// Both throw std::runtime_error naming the file and the line or byte offset of bad input.
void for_each_array_record(const std::string& path, const ReadRecord& read);
void for_each_jsonl_record(const std::string& path, const ReadRecord& read);

// Calls read(key, value) for each field of `record`; `record_name` names it in errors.
template <class ReadField>
void for_each_field(ondemand::object record, JsonSource& source, std::string_view record_name, ReadField&& read) {
  for (auto entry : record) {
    ondemand::field member = source.member(entry, record_name);
    const std::string_view key = source.key(member, record_name);
    read(key, member.value());
  }
}

}  // namespace steper::datasets
