#pragma once

#include "batch/BatchRow.h"

#include <QHash>
#include <QList>
#include <QString>

namespace parallax {

/// Reads a batch's prompts from CSV (a header row with `prompt` and optionally `id`, `system`; every
/// other column is a variable for `{{name}}` in the prompt), JSONL (`{"id", "prompt", "system"?,
/// "vars"?}` per line) or the OpenAI Batch API's input format (`{"custom_id", "method", "url", "body"}`).
/// A bad row is reported with its line number and reason and the rest is imported.
class BatchImporter {
public:
    struct Result {
        QList<BatchRow> rows;
        QList<ImportProblem> problems;
        QHash<QString, int> lineOfId; ///< for reporting a duplicate id where its first use is
    };

    /// Reads a file; `fatalError` is set (and nothing returned) only when the file cannot be read at all
    /// or has no usable header. A non-empty `promptTemplate` is every row's prompt, filled from the
    /// row's values (CSV columns; JSONL `vars`, `id` and `prompt`; the OpenAI format's `custom_id` as
    /// `id` and its user message as `prompt`): then a CSV needs no `prompt` column and a JSONL line no
    /// `prompt`.
    static std::optional<Result> importFile(const QString& path, QString* fatalError,
                                            const QString& promptTemplate = {});

    static std::optional<Result> importCsv(const QByteArray& content, QString* fatalError,
                                           const QString& promptTemplate = {});
    static Result importJsonl(const QByteArray& content, const QString& promptTemplate = {});

    /// A file larger than this is refused with a clear message rather than read into memory.
    static constexpr qint64 kMaxInputBytes = 512LL * 1024 * 1024;

private:
    static std::optional<Result> readFile(const QString& path, QString* fatalError,
                                          const QString& promptTemplate);
    /// Fills the template (when `values` is given), checks the row, and adds it or reports it.
    static void addRow(BatchRow row, const QHash<QString, QString>* values, Result& result);
};

} // namespace parallax
