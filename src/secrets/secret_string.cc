#include <ostream>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "airbyte/secrets.h"

namespace airbyte {

std::string SecretString::DebugString() const { return "<SecretString: ****>"; }

bool SecretString::IsJson() const { return Json::accept(value_); }

Json SecretString::ParseJson() const {
  try {
    return Json::parse(value_);
  } catch (const Json::parse_error& e) {
    // nlohmann's message quotes the text around the error: keep only the byte position.
    throw Error(ErrorKind::kInput, "Failed to parse secret as JSON.",
                {.context = {{"position", e.byte}, {"secret_string_length", value_.size()}}});
  }
}

std::ostream& operator<<(std::ostream& out, const SecretString& /*secret*/) {
  return out << "****";
}

}  // namespace airbyte
