#pragma once

#include "store/UsageReport.h"

#include <QDate>
#include <QString>

namespace parallax {

class Database;

/// Reads a UsageReport from the spend ledger (what was spent, by local day) and the history (answers
/// whose cost is unknown, and latencies). Plain SQL on the caller's connection: the window runs it on a
/// worker thread with a connection of its own.
class UsageReportReader {
public:
    /// The `dayCount` local days ending with `lastDay`.
    static UsageReport read(Database& database, const QDate& lastDay, int dayCount);
    /// Opens the database at `path` on the calling thread (a connection of its own) and reads it.
    static UsageReport readFile(const QString& path, const QDate& lastDay, int dayCount);
};

} // namespace parallax
