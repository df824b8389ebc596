#include "field_merge.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "parallel.hpp"

namespace steper::bm25 {
namespace {

std::size_t varint_size(std::uint32_t value) {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// The smallest float >= value, so a stored max weight never falls below a real one.
float round_up(double value) {
  float rounded = static_cast<float>(value);
  if (static_cast<double>(rounded) < value) rounded = std::nextafter(rounded, INFINITY);
  return rounded;
}

// One term of the merged field: where its postings and blocks go.
struct TermPlan {
  std::uint32_t global;  // in the vocabulary
  std::uint32_t doc_freq;
  std::uint64_t bytes;  // of its merged postings
};

class FieldMerger {
 public:
  FieldMerger(const std::vector<PartialIndex>& partials, const Vocabulary& vocabulary, int field,
              const Parameters& parameters)
      : partials_(partials), vocabulary_(vocabulary), field_(field), parameters_(parameters) {}

  FieldIndexData merge(int threads) {
    for (const auto& partial : partials_) {
      out_.documents_with_field += partial.documents_with_field[field_];
      out_.total_length += partial.total_length[field_];
    }
    average_length_ = average_length(out_.total_length, out_.documents_with_field);
    plan_terms();
    // Ranges of terms with about equal bytes, one task each.
    const std::size_t tasks = std::max(1, threads) * 4;
    std::vector<std::size_t> bounds{0};
    for (std::size_t t = 0, task = 1; t < plans_.size() && task < tasks; ++t)
      if (out_.posting_offsets[t + 1] * tasks >= out_.postings.size() * task) {
        bounds.push_back(t + 1);
        ++task;
      }
    if (bounds.back() != plans_.size()) bounds.push_back(plans_.size());
    parallel_for(bounds.size() - 1, threads, [&](std::size_t task) {
      for (std::size_t t = bounds[task]; t < bounds[task + 1]; ++t) encode_term(t);
    });
    return std::move(out_);
  }

 private:
  const TermPostings* postings(std::size_t global, std::size_t partial) const {
    const std::uint32_t local = vocabulary_.local_ids[global * vocabulary_.partial_count + partial];
    if (local == Vocabulary::kAbsent) return nullptr;
    const TermPostings& term = partials_[partial].postings[field_][local];
    return term.count == 0 ? nullptr : &term;
  }

  // Sizes every array of the output, so the tasks write their terms in place.
  void plan_terms() {
    out_.posting_offsets.push_back(0);
    out_.block_starts.push_back(0);
    for (std::size_t global = 0; global < vocabulary_.terms.size(); ++global) {
      TermPlan plan{static_cast<std::uint32_t>(global), 0, 0};
      std::uint32_t previous_last = 0;
      for (std::size_t partial = 0; partial < vocabulary_.partial_count; ++partial) {
        const TermPostings* term = postings(global, partial);
        if (term == nullptr) continue;
        plan.bytes += term->bytes.size();
        if (plan.doc_freq > 0) {  // its first gap, from doc 0, becomes a gap from the previous part
          std::uint32_t first;
          read_varint(reinterpret_cast<const unsigned char*>(term->bytes.data()), first);
          plan.bytes = plan.bytes - varint_size(first) + varint_size(first - previous_last);
        }
        previous_last = term->last_doc;
        plan.doc_freq += term->count;
      }
      if (plan.doc_freq == 0) continue;  // the term occurs only in the other field
      if (plan.bytes > UINT32_MAX)
        throw std::runtime_error("bm25: the postings of the term '" + std::string(vocabulary_.terms[global]) +
                                 "' take more than 4 GiB, more than the index format's block offsets can address");
      plans_.push_back(plan);
      out_.posting_offsets.push_back(out_.posting_offsets.back() + plan.bytes);
      out_.block_starts.push_back(out_.block_starts.back() + (plan.doc_freq + kBlockSize - 1) / kBlockSize);
    }
    const std::size_t terms = plans_.size(), blocks = out_.block_starts.back();
    out_.terms.resize(terms);
    out_.doc_freqs.resize(terms);
    out_.max_weights.resize(terms);
    out_.block_last_docs.resize(blocks);
    out_.block_offsets.resize(blocks);
    out_.block_max_weights.resize(blocks);
    out_.postings.resize(out_.posting_offsets.back());
  }

  void encode_term(std::size_t t) {
    const TermPlan& plan = plans_[t];
    out_.terms[t] = std::string(vocabulary_.terms[plan.global]);
    out_.doc_freqs[t] = plan.doc_freq;
    auto* const start = reinterpret_cast<unsigned char*>(out_.postings.data()) + out_.posting_offsets[t];
    unsigned char* at = start;
    std::uint64_t block = out_.block_starts[t];
    std::uint32_t written = 0, previous = 0;
    double block_max = 0.0, term_max = 0.0;
    for (std::size_t partial = 0; partial < vocabulary_.partial_count; ++partial) {
      const TermPostings* term = postings(plan.global, partial);
      if (term == nullptr) continue;
      const auto* p = reinterpret_cast<const unsigned char*>(term->bytes.data());
      std::uint32_t doc = 0;
      for (std::uint32_t i = 0; i < term->count; ++i) {
        std::uint32_t gap, tf, length;
        p = read_varint(p, gap);
        p = read_varint(p, tf);
        p = read_varint(p, length);
        doc += gap;
        if (written % kBlockSize == 0) out_.block_offsets[block] = static_cast<std::uint32_t>(at - start);
        at = write_varint(written == 0 ? doc : doc - previous, at);
        at = write_varint(tf, at);
        at = write_varint(length, at);
        block_max = std::max(block_max, tf_weight(parameters_, tf, length_norm(parameters_, length, average_length_)));
        previous = doc;
        if (++written % kBlockSize == 0 || written == plan.doc_freq) {
          out_.block_last_docs[block] = doc;
          out_.block_max_weights[block] = round_up(block_max);
          term_max = std::max(term_max, block_max);
          block_max = 0.0;
          ++block;
        }
      }
    }
    out_.max_weights[t] = round_up(term_max);
    if (static_cast<std::uint64_t>(at - start) != plan.bytes || block != out_.block_starts[t + 1])
      throw std::logic_error("bm25: merging the postings of '" + out_.terms[t] + "' wrote " +
                             std::to_string(at - start) + " bytes, planned " + std::to_string(plan.bytes));
  }

  const std::vector<PartialIndex>& partials_;
  const Vocabulary& vocabulary_;
  int field_;
  const Parameters& parameters_;
  double average_length_ = 1.0;
  std::vector<TermPlan> plans_;
  FieldIndexData out_;
};

}  // namespace

Vocabulary merge_vocabularies(const std::vector<PartialIndex>& partials) {
  struct Occurrence {
    std::string_view term;
    std::uint32_t partial;
    std::uint32_t local;
  };
  std::vector<Occurrence> occurrences;
  for (std::size_t partial = 0; partial < partials.size(); ++partial)
    for (std::size_t local = 0; local < partials[partial].terms.size(); ++local)
      occurrences.push_back({partials[partial].terms.key(local), static_cast<std::uint32_t>(partial),
                             static_cast<std::uint32_t>(local)});
  std::sort(occurrences.begin(), occurrences.end(), [](const Occurrence& a, const Occurrence& b) { return a.term < b.term; });
  Vocabulary vocabulary;
  vocabulary.partial_count = partials.size();
  for (const Occurrence& occurrence : occurrences) {
    if (vocabulary.terms.empty() || vocabulary.terms.back() != occurrence.term) {
      vocabulary.terms.push_back(occurrence.term);
      vocabulary.local_ids.resize(vocabulary.local_ids.size() + partials.size(), Vocabulary::kAbsent);
    }
    vocabulary.local_ids[(vocabulary.terms.size() - 1) * partials.size() + occurrence.partial] = occurrence.local;
  }
  return vocabulary;
}

FieldIndexData merge_field(const std::vector<PartialIndex>& partials, const Vocabulary& vocabulary, int field,
                           const Parameters& parameters, int threads) {
  return FieldMerger(partials, vocabulary, field, parameters).merge(threads);
}

}  // namespace steper::bm25
