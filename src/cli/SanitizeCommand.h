#pragma once

#include <QStringList>

namespace parallax::cli {

/// `parallax-cli sanitize [--json | --jsonl] [FILE|-]`: masks personal data and secrets in text.
class SanitizeCommand {
public:
    /// Runs synchronously (reading FILE or stdin) and returns the exit status.
    /// `arguments` start with "sanitize".
    static int run(const QStringList& arguments);
};

} // namespace parallax::cli
