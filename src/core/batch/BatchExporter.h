#pragma once

#include "batch/BatchItem.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace parallax {

/// A batch's results as a file: JSONL, the lines `parallax-cli batch` writes (`{"id", "state", ...the
/// answer fields}`), or CSV for spreadsheets (one row per item × profile: its state, tokens, cost,
/// timings, error and answer). Only finished items (done, failed, cancelled) have a result; pending
/// and running ones are counted, not written. The file is replaced atomically (QSaveFile), so an
/// export that fails midway leaves the previous file, never half a file.
class BatchExporter {
public:
    enum class Format { Jsonl, Csv };

    struct Summary {
        int written = 0;
        int failed = 0;     ///< written, in state failed
        int unfinished = 0; ///< pending or running: not written
    };

    /// CSV for a path ending in .csv (any case), JSONL otherwise.
    static Format formatFor(const QString& path);

    /// One JSONL line, without its line end.
    static QByteArray jsonLine(const BatchItem& item);
    static QByteArray csvHeader();
    /// One CSV record with its CRLF (RFC 4180); `profileName` is the job's profile of the item.
    static QByteArray csvRecord(const BatchItem& item, const QString& profileName);

    /// Writes the finished items in the order given (input order, as BatchStore::items lists them).
    /// `profiles` names the job's profiles by index (CSV). Null with a sentence in `error` on failure.
    static std::optional<Summary> write(const QList<BatchItem>& items, const QStringList& profiles,
                                        Format format, const QString& path, QString* error);

    static bool hasResult(const BatchItem& item);
};

} // namespace parallax
