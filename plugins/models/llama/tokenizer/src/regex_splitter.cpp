#include "regex_splitter.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdexcept>

#include "utf8.hpp"

namespace steper::bpe {

struct RegexSplitter::Compiled {
  pcre2_code* code = nullptr;
  ~Compiled() { pcre2_code_free(code); }
};

namespace {

std::string pcre2_message(int error_code) {
  PCRE2_UCHAR buffer[256];
  const int length = pcre2_get_error_message(error_code, buffer, sizeof buffer);
  return length < 0 ? "PCRE2 error " + std::to_string(error_code)
                    : std::string(reinterpret_cast<const char*>(buffer), length);
}

// One match-data block per thread: only the whole match is read, so a single pair of offsets
// serves every pattern.
pcre2_match_data* thread_match_data() {
  struct Holder {
    pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
    ~Holder() { pcre2_match_data_free(data); }
  };
  thread_local Holder holder;
  if (holder.data == nullptr) throw std::bad_alloc();
  return holder.data;
}

}  // namespace

RegexSplitter::RegexSplitter(std::shared_ptr<const Compiled> compiled)
    : compiled_(std::move(compiled)) {}

RegexSplitter RegexSplitter::regex(const std::string& pattern) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  auto compiled = std::make_shared<Compiled>();
  compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 PCRE2_UTF | PCRE2_UCP, &error_code, &error_offset, nullptr);
  if (compiled->code == nullptr) {
    throw std::invalid_argument("invalid regex at offset " + std::to_string(error_offset) + ": " +
                                pcre2_message(error_code));
  }
  // Without JIT (a build that lacks it) pcre2_match interprets the pattern: slower, same result.
  pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);
  return RegexSplitter(std::move(compiled));
}

RegexSplitter RegexSplitter::literal(const std::string& text) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  auto compiled = std::make_shared<Compiled>();
  compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                                 PCRE2_UTF | PCRE2_LITERAL, &error_code, &error_offset, nullptr);
  if (compiled->code == nullptr) {
    throw std::invalid_argument("invalid literal pattern at offset " +
                                std::to_string(error_offset) + ": " + pcre2_message(error_code));
  }
  pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);
  return RegexSplitter(std::move(compiled));
}

void RegexSplitter::split(std::string_view text, std::vector<std::string_view>& out) const {
  pcre2_match_data* match = thread_match_data();
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t piece_start = 0;
  std::size_t search_from = 0;
  while (search_from < text.size()) {
    const int rc = pcre2_match(compiled_->code, subject, text.size(), search_from,
                               PCRE2_NO_UTF_CHECK, match, nullptr);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    // rc == 0 means only that the one pair of offsets could not hold the capture groups.
    if (rc < 0) throw std::runtime_error("split pattern failed: " + pcre2_message(rc));
    const PCRE2_SIZE* offsets = pcre2_get_ovector_pointer(match);
    const std::size_t begin = offsets[0];
    const std::size_t end = offsets[1];
    if (begin == end) {  // an empty match splits nothing; go on one code point later
      std::size_t next = begin;
      if (next >= text.size()) break;
      next_code_point(text, next);
      search_from = next;
      continue;
    }
    if (begin > piece_start) out.push_back(text.substr(piece_start, begin - piece_start));
    out.push_back(text.substr(begin, end - begin));
    piece_start = search_from = end;
  }
  if (piece_start < text.size()) out.push_back(text.substr(piece_start));
}

}  // namespace steper::bpe
