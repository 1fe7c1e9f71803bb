#include "command_line.h"

#include <algorithm>
#include <cstdio>

namespace neardup::cli {

void ReportError(const std::string& where, const std::string& reason) {
  std::fprintf(stderr, "neardup: %s: %s\n", where.c_str(), reason.c_str());
}

void ReportStatus(const std::string& where, const absl::Status& status) {
  ReportError(where, std::string(status.message()) + " [" + absl::StatusCodeToString(status.code()) + "]");
}

ReportFormat ParseReportFormat(const std::string& format) {
  return format == "tsv" ? ReportFormat::kTsv : ReportFormat::kJsonLines;
}

void PipelineFlags::AddTo(CLI::App* command) {
  const DedupOptions defaults;
  // Values are taken as text and parsed by the library (SetNamedOption), ranges checked by
  // ValidateDedupOptions: a value is refused with the message Python and neardup.dask give,
  // NaN and infinities included.
  for (const NamedOption& option : NamedOptions()) {
    const std::string name(option.name);
    std::string flag = "--" + name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    const std::string value = NamedOptionValue(defaults, name);
    values_[name] = value;
    if (option.kind == OptionKind::kSwitch) {
      const bool on_by_default = value == "true";
      switches_[name] = false;
      std::string help(option.help);
      if (on_by_default) {  // --no-translations
        flag = "--no-" + flag.substr(2);
        help = std::string(option.off_help);
      }
      flags_[name] = command->add_flag(flag, switches_[name], help);
    } else {
      const char* type = option.kind == OptionKind::kSize ? "SIZE" : option.kind == OptionKind::kText ? "SPEC" : "NUMBER";
      flags_[name] = command->add_option(flag, values_[name], std::string(option.help))->capture_default_str()->type_name(type);
    }
  }
}

bool PipelineFlags::AnswersOptionGiven() const {
  for (const auto& [name, flag] : flags_) {
    if (flag->count() > 0 && name != "max_bytes") return true;
  }
  return false;
}

std::optional<DedupOptions> PipelineFlags::ToOptions() const {
  DedupOptions options;
  for (const auto& [name, value] : values_) {
    std::string text = value;
    if (const auto given = switches_.find(name); given != switches_.end() && given->second) {
      text = value == "true" ? "false" : "true";  // the flag turns its default around
    }
    if (absl::Status set = SetNamedOption(&options, name, text); !set.ok()) {
      ReportError("usage", std::string(set.message()));
      return std::nullopt;
    }
  }
  if (const absl::Status valid = ValidateDedupOptions(options); !valid.ok()) {
    ReportError("usage", std::string(valid.message()));
    return std::nullopt;
  }
  return options;
}

std::optional<Deduplicator> PipelineFlags::MakeDeduplicator(DedupOptions* options) const {
  std::optional<DedupOptions> made = ToOptions();
  if (!made) return std::nullopt;
  *options = *made;
  absl::StatusOr<Deduplicator> dedup = Deduplicator::Create(*options);
  if (!dedup.ok()) {
    ReportError("usage", std::string(dedup.status().message()));
    return std::nullopt;
  }
  return *std::move(dedup);
}

}  // namespace neardup::cli
