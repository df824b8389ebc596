// Splits a training step's samples into groups of similar length, so that a step mixing short
// and long samples does not pad the short ones to the longest (the step's loss is the same; the
// pretrainer runs its steps this way, and the llama bench measures it).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace steper {

// Sorted by length (stable), a new group wherever a sample is more than `max_padding` times as
// long as its group's shortest. `length(sample)` gives a sample's length in any unit.
template <class Sample, class Length>
std::vector<std::vector<Sample>> groups_by_length(std::vector<Sample> samples, Length length,
                                                  double max_padding = 2.0) {
  std::stable_sort(samples.begin(), samples.end(),
                   [&](const Sample& a, const Sample& b) { return length(a) < length(b); });
  std::vector<std::vector<Sample>> groups;
  std::size_t shortest = 0;
  for (Sample& sample : samples) {
    const std::size_t size = length(sample);
    if (groups.empty() || static_cast<double>(size) > max_padding * static_cast<double>(shortest)) {
      groups.emplace_back();
      shortest = std::max<std::size_t>(size, 1);
    }
    groups.back().push_back(std::move(sample));
  }
  return groups;
}

}  // namespace steper
