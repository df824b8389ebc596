#include "nfc.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

#include <limits>
#include <stdexcept>

namespace steper::bpe {
namespace {

const icu::Normalizer2& nfc_instance() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* instance = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || instance == nullptr) {
    throw std::runtime_error(std::string("ICU has no NFC normalizer: ") + u_errorName(status));
  }
  return *instance;
}

void check(UErrorCode status) {
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU NFC normalization failed: ") + u_errorName(status));
  }
}

}  // namespace

std::string to_nfc(std::string_view utf8) {
  static const icu::Normalizer2& nfc = nfc_instance();
  if (utf8.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
    throw std::length_error("NFC normalization takes at most 2 GiB of text at once, got " +
                            std::to_string(utf8.size()) + " bytes");
  }
  const icu::StringPiece input(utf8.data(), static_cast<int32_t>(utf8.size()));
  UErrorCode status = U_ZERO_ERROR;
  const bool already_nfc = nfc.isNormalizedUTF8(input, status);
  check(status);
  if (already_nfc) return std::string(utf8);
  std::string out;
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(utf8.size()));
  nfc.normalizeUTF8(0, input, sink, nullptr, status);
  check(status);
  return out;
}

}  // namespace steper::bpe
