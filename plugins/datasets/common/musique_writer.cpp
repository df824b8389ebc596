#include "musique_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <stdexcept>
#include <string_view>

#include "steper/fingerprint.hpp"

namespace steper {
namespace {

// Appends `text` as a JSON string literal.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// Corpus positions of the question's paragraphs: supporting ones first, then distractors.
std::set<std::size_t> context_of(const Question& question, const Corpus& corpus, const MusiqueWriteOptions& options) {
  std::set<std::size_t> docs;
  auto add = [&](const std::string& id) {
    if (id.empty()) return;
    if (!corpus.contains(id))
      throw std::invalid_argument("question '" + question.id + "': paragraph '" + id + "' is not in the corpus");
    docs.insert(corpus.doc_of(id));
  };
  for (const auto& id : question.supporting_paragraph_ids) add(id);
  for (const auto& step : question.decomposition) add(step.paragraph_id);
  const std::size_t wanted = std::min<std::size_t>(corpus.size(), std::max<std::size_t>(docs.size(), options.context_paragraphs));
  std::mt19937_64 rng(options.seed ^ std::stoull(stable_hash(question.id), nullptr, 16));
  while (docs.size() < wanted) docs.insert(rng() % corpus.size());
  return docs;
}

void check_stream(const std::ostream& out, const std::string& path) {
  if (!out) throw std::runtime_error("cannot write '" + path + "': " + std::strerror(errno));
}

// Written under a temporary name and renamed into place: a killed or failed write leaves no
// file cut short at a line boundary (which a reader would accept as a smaller dataset).
void write_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string temporary = path + "." + std::to_string(::getpid()) + ".tmp";
  try {
    std::ofstream out(temporary, std::ios::binary);
    check_stream(out, path);
    write(out);
    out.close();
    check_stream(out, path);
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
      throw std::runtime_error("cannot rename '" + temporary + "' to '" + path + "': " + std::strerror(errno));
  } catch (...) {
    std::remove(temporary.c_str());
    throw;
  }
}

}  // namespace

void write_musique_jsonl(std::ostream& out, const std::vector<Question>& questions, const Corpus& corpus,
                         const MusiqueWriteOptions& options) {
  std::string line;
  for (const Question& question : questions) {
    const std::set<std::size_t> docs = context_of(question, corpus, options);
    const std::set<std::string> supporting(question.supporting_paragraph_ids.begin(), question.supporting_paragraph_ids.end());
    line = "{\"id\": ";
    append_json_string(line, question.id);
    line += ", \"question\": ";
    append_json_string(line, question.text);
    line += ", \"answer\": ";
    append_json_string(line, question.answers.empty() ? "" : question.answers.front());
    line += ", \"answer_aliases\": [";
    for (std::size_t i = 1; i < question.answers.size(); ++i) {
      if (i > 1) line += ", ";
      append_json_string(line, question.answers[i]);
    }
    line += "], \"answerable\": true, \"paragraphs\": [";
    std::size_t idx = 0;
    for (const std::size_t doc : docs) {
      const Paragraph& paragraph = corpus[doc];
      line += idx ? ", {\"idx\": " : "{\"idx\": ";
      line += std::to_string(idx++) + ", \"title\": ";
      append_json_string(line, paragraph.title);
      line += ", \"paragraph_text\": ";
      append_json_string(line, paragraph.text);
      line += supporting.count(paragraph.id) ? ", \"is_supporting\": true}" : ", \"is_supporting\": false}";
    }
    line += "], \"question_decomposition\": [";
    for (std::size_t hop = 0; hop < question.decomposition.size(); ++hop) {
      const DecompositionStep& step = question.decomposition[hop];
      line += hop ? ", {\"id\": " : "{\"id\": ";
      line += std::to_string(hop + 1) + ", \"question\": ";
      append_json_string(line, step.question);
      line += ", \"answer\": ";
      append_json_string(line, step.answer);
      line += ", \"paragraph_support_idx\": ";
      line += step.paragraph_id.empty()
                  ? "null"
                  : std::to_string(std::distance(docs.begin(), docs.find(corpus.doc_of(step.paragraph_id))));
      line += '}';
    }
    line += "]}\n";
    out << line;
  }
}

void write_corpus_jsonl(std::ostream& out, const Corpus& corpus) {
  std::string line;
  for (const Paragraph& paragraph : corpus.paragraphs()) {
    line = "{\"id\": ";
    append_json_string(line, paragraph.id);
    line += ", \"title\": ";
    append_json_string(line, paragraph.title);
    line += ", \"text\": ";
    append_json_string(line, paragraph.text);
    line += "}\n";
    out << line;
  }
}

void write_musique_file(const std::string& path, const std::vector<Question>& questions, const Corpus& corpus,
                        const MusiqueWriteOptions& options) {
  write_file(path, [&](std::ostream& out) { write_musique_jsonl(out, questions, corpus, options); });
}

void write_corpus_file(const std::string& path, const Corpus& corpus) {
  write_file(path, [&](std::ostream& out) { write_corpus_jsonl(out, corpus); });
}

}  // namespace steper
