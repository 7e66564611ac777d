#pragma once

#include <QStringList>

namespace parallax::cli {

/// `parallax-cli audit verify`: checks the audit log's hash chain; exit 1 naming the first broken record.
class AuditCommand {
public:
    /// `arguments` start with "audit". Returns the exit status.
    static int run(const QStringList& arguments);
};

} // namespace parallax::cli
