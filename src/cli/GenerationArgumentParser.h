#pragma once

#include "cli/CliError.h"
#include "cli/GenerationOptions.h"

#include <QStringList>

#include <functional>
#include <variant>

namespace parallax::cli {

/// Reads the arguments of `run` and `compare` into validated options. The prompt comes from the
/// positional argument, or from standard input when it is `-` or absent.
class GenerationArgumentParser {
public:
    /// Reads standard input, at most kMaxPromptBytes + 1 bytes. Given whether the user asked for it with `-`;
    /// returns an empty optional when it should not be read (a terminal and no `-`).
    using StdinReader = std::function<std::optional<QByteArray>(bool explicitlyRequested)>;

    /// The largest prompt accepted; beyond it no provider would take the request anyway.
    static constexpr qsizetype kMaxPromptBytes = 8 * 1024 * 1024;
    static constexpr int kMaxProfiles = 32;

    static std::variant<GenerationOptions, CliError> parse(const QStringList& arguments, bool compare,
                                                           const StdinReader& readStdin);

    static QString helpText(bool compare);
};

} // namespace parallax::cli
