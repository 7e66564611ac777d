#include "SanitizeCommand.h"

#include "cli/CliError.h"

#include <cstdio>

namespace parallax::cli {

int SanitizeCommand::run(const QStringList& arguments) {
    Q_UNUSED(arguments)
    std::fputs("parallax-cli: 'sanitize' is not available in this version yet (see README.md, \"What works today\")\n",
               stderr);
    return ExitUsage;
}

} // namespace parallax::cli
