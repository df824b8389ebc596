// EM, F1 and Acc as method.md section 8 defines them: the SQuAD normalisation
// (lower-case, drop punctuation, drop a/an/the as words, collapse white space) and scores
// taken as the maximum over the gold answers.
//
// Unicode: the text is decoded from UTF-8 so that no multibyte character is ever split;
// bytes that are not valid UTF-8 pass through unchanged. Punctuation is exactly Python's
// string.punctuation (ASCII), as in the official SQuAD, HotpotQA and IRCoT scripts the
// published numbers come from, so curly quotes and dashes ('“', '’', '–') stay in the text
// there and here alike. Lower-casing covers ASCII, Latin-1, Latin Extended-A and the basic
// Greek and Cyrillic letters; other scripts are left as they are.
#include "steper/metrics.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace steper {
namespace {

// A byte that is not valid UTF-8 becomes a lone low surrogate, which valid UTF-8 never
// holds, so encode() can write the original byte back.
constexpr char32_t kRawByteBase = 0xDC00;

std::u32string decode(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    char32_t cp = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
    bool valid = length > 0 && i + length <= text.size();
    for (int k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      cp = (cp << 6) | (next & 0x3F);
    }
    static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    valid = valid && cp >= kMinimum[length] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (valid) {
      out += cp;
      i += length;
    } else {
      out += kRawByteBase + lead;
      ++i;
    }
  }
  return out;
}

std::string encode(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (cp >= kRawByteBase + 0x80 && cp <= kRawByteBase + 0xFF) {
      out += static_cast<char>(cp - kRawByteBase);
    } else if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

char32_t to_lower(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||     // Latin-1 À..Þ except ×
      (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||  // Greek Α..Ϋ
      (cp >= 0x410 && cp <= 0x42F))                   // Cyrillic А..Я
    return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;  // Cyrillic Ѐ..Џ
  if (cp == 0x178) return 0xFF;                      // Ÿ
  // Latin Extended-A pairs: upper case on even code points, except the two odd-based runs.
  const bool odd_based = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
  if (cp >= 0x100 && cp <= 0x17F && cp != 0x138 && cp != 0x149 && cp != 0x17F)
    return (cp % 2 == (odd_based ? 1u : 0u)) ? cp + 1 : cp;
  return cp;
}

bool is_punctuation(char32_t cp) {  // Python's string.punctuation
  return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) ||
         (cp >= 0x7B && cp <= 0x7E);
}

bool is_space(char32_t cp) {  // what Python's str.split() splits on
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Python's Unicode \w, closely enough for answer text: letters and digits of any script are
// word characters; white space and the common symbol and punctuation blocks are not.
bool is_word_char(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
  if (is_space(cp)) return false;
  if (cp >= 0xA1 && cp <= 0xBF) {
    static constexpr char32_t kLatin1WordChars[] = {0xAA, 0xB2, 0xB3, 0xB5, 0xB9, 0xBA, 0xBC, 0xBD, 0xBE};
    return std::find(std::begin(kLatin1WordChars), std::end(kLatin1WordChars), cp) != std::end(kLatin1WordChars);
  }
  return !(cp == 0xD7 || cp == 0xF7 || (cp >= 0x2010 && cp <= 0x205E) ||       // general punctuation
           (cp >= 0x20A0 && cp <= 0x20C0) ||                                   // currency signs
           (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011));  // CJK punctuation
}

bool is_article(std::u32string_view word) { return word == U"a" || word == U"an" || word == U"the"; }

std::vector<std::string> split_words(const std::string& normalized) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < normalized.size()) {
    std::size_t end = normalized.find(' ', start);
    if (end == std::string::npos) end = normalized.size();
    words.push_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

double token_f1(const std::string& prediction, const std::string& gold) {
  const auto prediction_words = split_words(prediction);
  const auto gold_words = split_words(gold);
  if (prediction_words.empty() || gold_words.empty()) return prediction_words.empty() && gold_words.empty() ? 1.0 : 0.0;
  std::map<std::string, int> gold_counts;
  for (const auto& word : gold_words) ++gold_counts[word];
  int common = 0;
  for (const auto& word : prediction_words) {
    auto found = gold_counts.find(word);
    if (found != gold_counts.end() && found->second > 0) {
      --found->second;
      ++common;
    }
  }
  if (common == 0) return 0.0;
  const double precision = static_cast<double>(common) / prediction_words.size();
  const double recall = static_cast<double>(common) / gold_words.size();
  return 2 * precision * recall / (precision + recall);
}

}  // namespace

std::string normalize_answer(std::string_view text) {
  std::u32string kept;
  for (char32_t cp : decode(text))
    if (cp == 0x130) {
      kept += U"i\u0307";  // İ lower-cases to two code points, as in Python
    } else if (!is_punctuation(cp)) {
      kept += to_lower(cp);
    }

  // A maximal run of word characters is exactly what Python's \b(a|an|the)\b can match;
  // it becomes a space, as re.sub(..., ' ', ...) does.
  std::u32string without_articles;
  std::size_t i = 0;
  while (i < kept.size()) {
    std::size_t end = i;
    while (end < kept.size() && is_word_char(kept[end])) ++end;
    if (end == i) {
      without_articles += kept[i++];
      continue;
    }
    const std::u32string_view word(kept.data() + i, end - i);
    without_articles += is_article(word) ? std::u32string(U" ") : std::u32string(word);
    i = end;
  }

  std::u32string collapsed;
  for (char32_t cp : without_articles) {
    if (!is_space(cp)) {
      collapsed += cp;
    } else if (!collapsed.empty() && collapsed.back() != U' ') {
      collapsed += U' ';
    }
  }
  if (!collapsed.empty() && collapsed.back() == U' ') collapsed.pop_back();
  return encode(collapsed);
}

AnswerScores score_answer(std::string_view prediction, const std::vector<std::string>& golds) {
  const std::string normalized_prediction = normalize_answer(prediction);
  AnswerScores best;
  for (const auto& gold : golds) {
    const std::string normalized_gold = normalize_answer(gold);
    const double em = normalized_prediction == normalized_gold ? 1.0 : 0.0;
    // An empty gold would be a substring of every prediction; count it only against an
    // empty prediction, as EM and F1 do.
    const bool contained = normalized_gold.empty() ? normalized_prediction.empty()
                                                   : normalized_prediction.find(normalized_gold) != std::string::npos;
    best.em = std::max(best.em, em);
    best.f1 = std::max(best.f1, token_f1(normalized_prediction, normalized_gold));
    best.acc = std::max(best.acc, contained ? 1.0 : 0.0);
  }
  return best;
}

}  // namespace steper
