// A small fixed regression problem trained for a few steps, alone or as one rank of a
// data-parallel group: the multi-process tests compare the two.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace steper {

class DataParallel;

struct TinyTraining {
  int steps = 5;
  std::int64_t global_batch = 16;  // split evenly over the ranks
  std::string optimizer = "sgd";   // or "adamw"
};

struct TinyResult {
  std::vector<float> weights;  // every parameter, flattened in order
  double last_loss = 0;        // the global batch's mean loss at the last step
};

// Rank r of N trains on rows [r B/N, (r+1) B/N) of each global batch of B rows; its model starts
// from a seed of its own, so equal results also show the parameter broadcast works. One
// parameter feeds only the first half of every batch: rank 1 of 2 never gets a gradient for it.
TinyResult train_tiny_model(const TinyTraining& run, DataParallel* group);

void write_weights(const std::string& path, const std::vector<float>& weights);
std::vector<float> read_weights(const std::string& path);

}  // namespace steper
