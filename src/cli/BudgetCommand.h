#pragma once

#include <QStringList>

namespace parallax::cli {

/// `parallax-cli budget show [--json]` and `parallax-cli budget set [--daily USD] [--monthly USD]`
/// (0 removes a limit). Limits live in settings.json; spend comes from the database.
class BudgetCommand {
public:
    /// `arguments` start with "budget". Returns the exit status.
    static int run(const QStringList& arguments);
};

} // namespace parallax::cli
