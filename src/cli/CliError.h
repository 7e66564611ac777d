#pragma once

#include <QString>

namespace parallax::cli {

/// Exit statuses of PRODUCT.md's CLI contract.
enum ExitCode : int {
    ExitSuccess = 0,
    ExitRequestFailed = 1, ///< a provider/request failed; the JSON still prints
    ExitUsage = 2,         ///< bad arguments, a missing key, an unreadable file
    ExitBudget = 3,        ///< refused by the budget before anything was sent
};

/// A problem found before any request is sent: one clear line for stderr and the exit status.
struct CliError {
    QString message;
    int exitCode = ExitUsage;
};

} // namespace parallax::cli
