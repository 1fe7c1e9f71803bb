// JsonlParser (jsonl.h). The DOM API validates each line completely and dispatches at run time
// to the best SIMD kernel of the machine (the On-Demand API would be fixed at compile time to
// the fallback).

#include "neardup/jsonl.h"

#include <simdjson.h>

#include <cstdint>

namespace neardup {
namespace {

// Fills *doc from one object; returns what is wrong with it, or "" if nothing.
std::string ParseDocument(simdjson::dom::object object, JsonlDocument* doc) {
  // A key given twice would be read one way here and another way by other tools.
  int seen[3] = {0, 0, 0};
  for (const auto field : object) {
    const std::string_view key = field.key;
    const int k = key == "id" ? 0 : key == "text" ? 1 : key == "lang" ? 2 : -1;
    if (k >= 0 && ++seen[k] == 2) return "duplicate key \"" + std::string(key) + "\"";
  }
  simdjson::dom::element id, text, lang;
  std::string_view s;
  int64_t n;
  uint64_t u;
  if (object["id"].get(id)) return "missing \"id\"";
  if (!id.get_string().get(s)) {
    doc->id.assign(s);
  } else if (!id.get_int64().get(n)) {
    doc->id = std::to_string(n);
  } else if (!id.get_uint64().get(u)) {
    doc->id = std::to_string(u);  // 2^63 to 2^64-1
  } else {
    return id.is_number() ? "\"id\" must be an integer from -2^63 to 2^64-1 (or a string)"
                          : "\"id\" must be a string or an integer";
  }
  if (object["text"].get(text)) return "missing \"text\"";
  if (text.get_string().get(s)) return "\"text\" must be a string";
  doc->text.assign(s);
  if (!object["lang"].get(lang) && !lang.is_null()) {
    if (lang.get_string().get(s)) return "\"lang\" must be a string";
    doc->lang.assign(s);
  }
  return "";
}

}  // namespace

struct JsonlParser::Impl {
  simdjson::dom::parser parser;
};

JsonlParser::JsonlParser() : impl_(std::make_unique<Impl>()) {}
JsonlParser::~JsonlParser() = default;
JsonlParser::JsonlParser(JsonlParser&&) noexcept = default;
JsonlParser& JsonlParser::operator=(JsonlParser&&) noexcept = default;

JsonlLine JsonlParser::Parse(std::string_view line, bool first_line) {
  JsonlLine out;
  // A byte-order mark that an editor put before the first object is not part of it.
  if (first_line && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return out;  // blank
  out.kind = JsonlLine::kError;
  simdjson::dom::element json;
  if (auto error = impl_->parser.parse(line.data(), line.size()).get(json); error) {
    out.error = std::string("invalid JSON: ") + simdjson::error_message(error);
    return out;
  }
  simdjson::dom::object object;
  if (json.get_object().get(object)) {
    out.error = "expected a JSON object {\"id\": ..., \"text\": ...}";
    return out;
  }
  out.error = ParseDocument(object, &out.document);
  if (out.error.empty()) out.kind = JsonlLine::kDocument;
  return out;
}

}  // namespace neardup
