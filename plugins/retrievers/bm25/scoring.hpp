// BM25 term weights. Lucene's form is method.md section 10 (with the (k1 + 1) factor, which
// scales every score alike and so leaves rankings unchanged). The other variants follow bm25s
// (xhluca/bm25s, bm25s/scoring.py), which takes them from Kamphuis et al. 2020, "Which BM25 do
// you mean? A large-scale reproducibility study of scoring variants":
//   robertson  idf = ln(max(1, (N - df + 0.5) / (df + 0.5)))   tf = tf / (tf + k1·norm)
//   atire      idf = ln(N / df)                                 tf = tf·(k1+1) / (tf + k1·norm)
//   bm25l      idf = ln((N + 1) / (df + 0.5))                   c = tf / norm; tf = (k1+1)(c+δ) / (k1+c+δ)
//   bm25+      idf = ln((N + 1) / df)                           tf = tf·(k1+1) / (tf + k1·norm) + δ
// with norm = 1 − b + b·dl/avgdl. As in bm25s, only documents containing a term score it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace steper::bm25 {

enum class Variant { lucene, robertson, atire, bm25l, bm25plus };

inline constexpr struct {
  Variant variant;
  const char* name;
  double default_delta;  // 0: the variant has no δ
} kVariants[] = {
    {Variant::lucene, "lucene", 0.0},  {Variant::robertson, "robertson", 0.0}, {Variant::atire, "atire", 0.0},
    {Variant::bm25l, "bm25l", 0.5},    {Variant::bm25plus, "bm25+", 1.0},
};

const char* to_string(Variant variant);
bool variant_from_string(std::string_view name, Variant& variant);  // false when unknown
std::string variant_names();  // "lucene, robertson, ..." for error messages
bool variant_has_delta(Variant variant);
double default_delta(Variant variant);

struct Parameters {
  double k1 = 1.2;
  double b = 0.75;
  Variant variant = Variant::lucene;
  double delta = 0.0;
  std::string describe() const;  // recorded in the index header, e.g. "k1=1.2 b=0.75 variant=lucene delta=0"
};

// docs: documents with a non-empty field; df: those containing the term.
inline double idf(const Parameters& p, double docs, double df) {
  switch (p.variant) {
    case Variant::lucene: return std::log(1.0 + (docs - df + 0.5) / (df + 0.5));
    case Variant::robertson: return std::log(std::max(1.0, (docs - df + 0.5) / (df + 0.5)));
    case Variant::atire: return std::log(docs / df);
    case Variant::bm25l: return std::log((docs + 1.0) / (df + 0.5));
    case Variant::bm25plus: return std::log((docs + 1.0) / df);
  }
  return 0.0;
}

// avgdl over the documents with a non-empty field (1 when there are none). The builder and the
// searcher both call this, so the norms behind stored max weights are the searcher's, bit for bit.
inline double average_length(std::uint64_t total_length, std::uint64_t documents) {
  return documents == 0 ? 1.0 : static_cast<double>(total_length) / static_cast<double>(documents);
}

// The length normalisation 1 − b + b·dl/avgdl of one document's field.
inline double length_norm(const Parameters& p, double length, double average_length) {
  return 1.0 - p.b + p.b * length / average_length;
}

inline double tf_weight(const Parameters& p, double tf, double norm) {
  switch (p.variant) {
    case Variant::lucene:
    case Variant::atire: return tf * (p.k1 + 1.0) / (tf + p.k1 * norm);
    case Variant::robertson: return tf / (tf + p.k1 * norm);
    case Variant::bm25l: {
      const double c = tf / norm;
      return (p.k1 + 1.0) * (c + p.delta) / (p.k1 + c + p.delta);
    }
    case Variant::bm25plus: return tf * (p.k1 + 1.0) / (tf + p.k1 * norm) + p.delta;
  }
  return 0.0;
}

}  // namespace steper::bm25
