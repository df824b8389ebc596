// Readers of the official dataset files (method.md section 9) into steper::Question. Each names
// context paragraphs through `ids`, which also collects the retrieval corpus when it is built
// from the contexts. All throw std::runtime_error naming the file, the line or byte offset,
// the field and what was expected.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "paragraph_ids.hpp"
#include "read_warnings.hpp"
#include "steper/types.hpp"

namespace steper::datasets {

// HotpotQA JSON array: _id, question, answer, type, supporting_facts, context. What it accepts
// but warns about goes to `warnings` (as for 2Wiki).
std::vector<Question> read_hotpotqa(const std::string& path, ParagraphIds& ids, ReadWarnings& warnings);

// 2WikiMultiHopQA's id_aliases.json: JSONL of {Q_id, aliases, demonyms}, by Q_id.
using AnswerAliases = std::unordered_map<std::string, std::vector<std::string>>;
AnswerAliases read_id_aliases(const std::string& path);

// 2WikiMultiHopQA JSON array: _id, type, question, answer, context, supporting_facts,
// evidences, and answer_id (looked up in `aliases`).
std::vector<Question> read_twowiki(const std::string& path, const AnswerAliases& aliases, ParagraphIds& ids,
                                   ReadWarnings& warnings);

// MuSiQue JSONL: id, question, answer, answer_aliases, answerable, paragraphs,
// question_decomposition. Questions marked answerable: false are skipped when answerable_only.
std::vector<Question> read_musique(const std::string& path, bool answerable_only, ParagraphIds& ids);

// IRCoT / Adaptive-RAG processed JSONL: question_id, question_text, answers_objects, contexts,
// optional reasoning_steps.
std::vector<Question> read_ircot_jsonl(const std::string& path, ParagraphIds& ids);

}  // namespace steper::datasets
