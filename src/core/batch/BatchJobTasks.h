#pragma once

#include "batch/BatchCostEstimate.h"
#include "batch/BatchExporter.h"
#include "batch/BatchItemsModel.h"
#include "batch/BatchRow.h"
#include "batch/BatchStore.h"
#include "engine/PriceTable.h"
#include "providers/ProviderProfile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace parallax {

/// The database work of a batch that can take long with 100,000 items — importing and creating the
/// job, loading its rows, cancelling or requeueing many items, exporting — written to run on a worker
/// thread so a window never waits for it. Each call opens its own connection to the database file (Qt
/// SQL connections belong to the thread that opened them; SQLite's WAL lets it read while the window's
/// connection writes) and closes it before returning.
class BatchJobTasks {
public:
    /// What the window loads into its table, or why it could not.
    struct Loaded {
        BatchItemsModel::Snapshot snapshot;
        int total = 0;
        int finished = 0; ///< done or failed
        int failed = 0;
        int cancelled = 0;
        int unfinished = 0;  ///< pending or running
        double spentUsd = 0; ///< what the finished answers cost, as far as it is known
        QString error;       ///< non-empty: nothing was loaded
    };

    struct CreateRequest {
        QString databasePath;
        QString inputPath;
        QString promptTemplate; ///< empty: the file's own prompts
        QStringList profileNames;
        QList<ProviderProfile> profiles; ///< by profile index, for prices
        PriceTable prices;
        bool providerMode = false;
        int concurrency = 0; ///< recorded with the job, for a resume
        qint64 maxOutputTokens = 4096;
        std::optional<double> budgetUsd; ///< refuse to create a job whose worst case exceeds it
    };
    struct Created {
        qint64 jobId = 0; ///< 0: no job (see error)
        int rows = 0;
        QList<ImportProblem> problems;
        BatchCostEstimate estimate;
        BatchItemsModel::Snapshot snapshot;
        QString error;
    };

    /// Imports the file (bad rows become problems, the rest is imported), checks the budget against the
    /// worst case, and creates the job with one pending item per row and profile.
    static Created create(const CreateRequest& request);
    static Loaded load(const QString& databasePath, qint64 jobId);
    /// BatchStore::cancelPending, then the job's rows.
    static Loaded cancelPending(const QString& databasePath, qint64 jobId, const QStringList& answers);
    /// BatchStore::requeueFailed (failed and cancelled items go back to pending), then the job's rows.
    static Loaded requeueFailed(const QString& databasePath, qint64 jobId);
    /// Cancelling a job no run is working on (one reopened from the list): items a dead run left
    /// running go back to pending (BatchStore::requeueRunning; those held by a provider's batch stay
    /// running, for a session to cancel at the provider), then every pending item ends cancelled.
    static Loaded cancelUnfinished(const QString& databasePath, qint64 jobId, const QStringList& answers);

    /// The batches started in a window, newest first, with their counts per state.
    struct Listed {
        QList<BatchStore::JobSummary> jobs;
        QString error;
    };
    static Listed listWindowJobs(const QString& databasePath);

    /// A job found again by its id: what it was started with, and its rows.
    struct Reopened {
        std::optional<BatchStore::Job> job; ///< empty: see loaded.error
        Loaded loaded;
    };
    static Reopened reopen(const QString& databasePath, qint64 jobId);

    /// Before a resume: whether the worst case of the job's unfinished items fits `budgetUsd`.
    struct BudgetRequest {
        QString databasePath;
        qint64 jobId = 0;
        QList<ProviderProfile> profiles; ///< by profile index
        PriceTable prices;
        bool providerMode = false;
        qint64 maxOutputTokens = 4096;
        double budgetUsd = 0;
    };
    struct BudgetVerdict {
        QString refusal; ///< non-empty: over the budget, or the items could not be read
        bool unknownPrice = false;
    };
    static BudgetVerdict checkBudget(const BudgetRequest& request);

    struct Exported {
        std::optional<BatchExporter::Summary> summary;
        QString path;
        QString error;
    };
    /// The job's results to `path`, JSONL or CSV by its extension (BatchExporter).
    static Exported exportResults(const QString& databasePath, qint64 jobId, const QStringList& profileNames,
                                  const QString& path);

private:
    static Loaded loaded(const QList<BatchItem>& items);
    /// Opens the database on this thread (Qt SQL connections cannot cross threads), lets `change` work
    /// on the job's items (false with `error` set when it cannot), then loads them. Defined in the .cpp.
    template <typename Change>
    static Loaded changeThenLoad(const QString& databasePath, qint64 jobId, Change change);
    static QString overBudget(const BatchCostEstimate& estimate, double budgetUsd);
};

} // namespace parallax
