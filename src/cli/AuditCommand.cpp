#include "AuditCommand.h"

#include "cli/CliError.h"
#include "store/AuditLog.h"
#include "store/DataDirectory.h"
#include "store/Database.h"

#include <QFileInfo>

#include <cstdio>

namespace parallax::cli {

int AuditCommand::run(const QStringList& arguments) {
    if (arguments.size() != 2 || arguments.at(1) != QLatin1String("verify")) {
        std::fputs("parallax-cli: audit: use 'parallax-cli audit verify'\n", stderr);
        return ExitUsage;
    }
    const QString path = DataDirectory::filePath(QStringLiteral("parallax.db"));
    if (!QFileInfo::exists(path)) {
        std::fputs("audit log: empty (no request has been made with this data folder yet)\n", stdout);
        return ExitSuccess;
    }
    QString error;
    auto database = Database::open(path, &error);
    if (!database) {
        std::fprintf(stderr, "parallax-cli: audit: %s\n", qPrintable(error));
        return ExitUsage;
    }
    const AuditLog::Verification result = AuditLog(*database).verify();
    if (!result.intact) {
        std::fprintf(stdout, "audit log BROKEN at record %lld: %s (%lld records before it are intact)\n",
                     static_cast<long long>(result.firstBrokenId.value_or(0)), qPrintable(result.problem),
                     static_cast<long long>(result.records));
        return ExitRequestFailed;
    }
    std::fprintf(stdout, "audit log intact: %lld records\n", static_cast<long long>(result.records));
    return ExitSuccess;
}

} // namespace parallax::cli
