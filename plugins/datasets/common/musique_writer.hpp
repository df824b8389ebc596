// Writes questions in MuSiQue's JSONL format (method.md section 9) and a corpus as JSONL of
// {id, title, text}: what `steper data synth` produces for the `musique` reader.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "steper/types.hpp"

namespace steper {

struct MusiqueWriteOptions {
  // Paragraphs listed per question: its supporting ones plus distractors drawn from the
  // corpus, 20 as in MuSiQue (all of the corpus when it is smaller).
  int context_paragraphs = 20;
  std::uint64_t seed = 1;  // picks the distractors
};

// One JSON object per line: id, question, answer, answer_aliases, answerable, paragraphs
// [{idx, title, paragraph_text, is_supporting}] in corpus order, question_decomposition [{id,
// question, answer, paragraph_support_idx}]. Throws std::invalid_argument naming the
// question and paragraph when a supporting paragraph is missing from `corpus`.
void write_musique_jsonl(std::ostream& out, const std::vector<Question>& questions, const Corpus& corpus,
                         const MusiqueWriteOptions& options = {});
void write_corpus_jsonl(std::ostream& out, const Corpus& corpus);

// The same into files; throw std::runtime_error naming the path when it cannot be written.
void write_musique_file(const std::string& path, const std::vector<Question>& questions, const Corpus& corpus,
                        const MusiqueWriteOptions& options = {});
void write_corpus_file(const std::string& path, const Corpus& corpus);

}  // namespace steper
