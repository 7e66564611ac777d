#include "BatchJobTasks.h"

#include "batch/BatchImporter.h"
#include "batch/BatchStore.h"
#include "store/Database.h"

#include <QUuid>

namespace parallax {

namespace {
// Jobs the window created; the CLI's keys are hashes of their command line and are resumed there.
const QString kWindowJobKeyPrefix = QStringLiteral("window-");

BatchJobTasks::Loaded failure(const QString& error) {
    BatchJobTasks::Loaded loaded;
    loaded.error = error;
    return loaded;
}

} // namespace

BatchJobTasks::Created BatchJobTasks::create(const CreateRequest& request) {
    Created created;
    QString error;
    const std::optional<BatchImporter::Result> imported =
        BatchImporter::importFile(request.inputPath, &error, request.promptTemplate);
    if (!imported) {
        created.error = error;
        return created;
    }
    created.problems = imported->problems;
    created.rows = static_cast<int>(imported->rows.size());
    if (imported->rows.isEmpty()) {
        created.error = QStringLiteral("%1 has no usable rows").arg(request.inputPath);
        return created;
    }
    if (request.budgetUsd) {
        QList<BatchItem> pending;
        pending.reserve(imported->rows.size() * request.profiles.size());
        for (const BatchRow& row : imported->rows) {
            for (int profile = 0; profile < request.profiles.size(); ++profile) {
                BatchItem item;
                item.profileIndex = profile;
                item.prompt = row.prompt;
                item.systemPrompt = row.system;
                pending.append(item);
            }
        }
        created.estimate = BatchCostEstimate::of(pending, request.profiles, request.prices,
                                                 request.providerMode, request.maxOutputTokens);
        if (created.estimate.worstCaseUsd > *request.budgetUsd) {
            created.error = overBudget(created.estimate, *request.budgetUsd);
            return created;
        }
    }
    const std::unique_ptr<Database> database = Database::open(request.databasePath, &error);
    if (!database) {
        created.error = error;
        return created;
    }
    BatchStore store(*database);
    // A window's job is found again by its id, not by its inputs: every start is a new job.
    const QString jobKey = kWindowJobKeyPrefix + QUuid::createUuid().toString(QUuid::WithoutBraces);
    // No output file: a window's results are exported when the user asks.
    const std::optional<qint64> jobId = store.createJob(
        jobKey, request.inputPath, QStringLiteral(""), request.profileNames, imported->rows,
        BatchStore::RunSettings{request.providerMode, request.concurrency, request.budgetUsd}, &error);
    if (!jobId) {
        created.error = error;
        return created;
    }
    created.jobId = *jobId;
    created.snapshot = BatchItemsModel::snapshot(store.items(*jobId));
    return created;
}

BatchJobTasks::Loaded BatchJobTasks::loaded(const QList<BatchItem>& items) {
    Loaded loaded;
    loaded.snapshot = BatchItemsModel::snapshot(items);
    loaded.total = static_cast<int>(items.size());
    for (const BatchItem& item : items) {
        loaded.finished += item.state == BatchItem::State::Done || item.state == BatchItem::State::Failed;
        loaded.failed += item.state == BatchItem::State::Failed;
        loaded.cancelled += item.state == BatchItem::State::Cancelled;
        loaded.unfinished +=
            item.state == BatchItem::State::Pending || item.state == BatchItem::State::Running;
    }
    loaded.spentUsd = loaded.snapshot.spentUsd();
    return loaded;
}

QString BatchJobTasks::overBudget(const BatchCostEstimate& estimate, double budgetUsd) {
    return QStringLiteral("Refused: the batch could cost up to $%1, above its budget of $%2. "
                          "Lower the profiles' max tokens, or raise the budget.")
        .arg(estimate.worstCaseUsd, 0, 'f', 4)
        .arg(budgetUsd, 0, 'f', 2);
}

template <typename Change>
BatchJobTasks::Loaded BatchJobTasks::changeThenLoad(const QString& databasePath, qint64 jobId,
                                                    Change change) {
    QString error;
    const std::unique_ptr<Database> database = Database::open(databasePath, &error);
    if (!database)
        return failure(error);
    BatchStore store(*database);
    if (!change(store, error))
        return failure(error);
    return loaded(store.items(jobId));
}

BatchJobTasks::Loaded BatchJobTasks::load(const QString& databasePath, qint64 jobId) {
    return changeThenLoad(databasePath, jobId, [](BatchStore&, QString&) { return true; });
}

BatchJobTasks::Loaded BatchJobTasks::cancelPending(const QString& databasePath, qint64 jobId,
                                                   const QStringList& answers) {
    return changeThenLoad(databasePath, jobId, [&](BatchStore& store, QString& error) {
        return store.cancelPending(jobId, answers, &error);
    });
}

BatchJobTasks::Loaded BatchJobTasks::requeueFailed(const QString& databasePath, qint64 jobId) {
    return changeThenLoad(databasePath, jobId, [&](BatchStore& store, QString&) {
        store.requeueFailed(jobId);
        return true;
    });
}

BatchJobTasks::Loaded BatchJobTasks::cancelUnfinished(const QString& databasePath, qint64 jobId,
                                                      const QStringList& answers) {
    return changeThenLoad(databasePath, jobId, [&](BatchStore& store, QString& error) {
        store.requeueRunning(jobId);
        return store.cancelPending(jobId, answers, &error);
    });
}

BatchJobTasks::Listed BatchJobTasks::listWindowJobs(const QString& databasePath) {
    Listed listed;
    const std::unique_ptr<Database> database = Database::open(databasePath, &listed.error);
    if (database)
        listed.jobs = BatchStore(*database).jobs(kWindowJobKeyPrefix, &listed.error);
    return listed;
}

BatchJobTasks::Reopened BatchJobTasks::reopen(const QString& databasePath, qint64 jobId) {
    Reopened reopened;
    QString error;
    const std::unique_ptr<Database> database = Database::open(databasePath, &error);
    if (!database) {
        reopened.loaded = failure(error);
        return reopened;
    }
    BatchStore store(*database);
    reopened.job = store.job(jobId);
    if (!reopened.job) {
        reopened.loaded = failure(QStringLiteral("This batch is no longer in the database."));
        return reopened;
    }
    reopened.loaded = loaded(store.items(jobId));
    return reopened;
}

BatchJobTasks::BudgetVerdict BatchJobTasks::checkBudget(const BudgetRequest& request) {
    BudgetVerdict verdict;
    QString error;
    const std::unique_ptr<Database> database = Database::open(request.databasePath, &error);
    if (!database) {
        verdict.refusal = error;
        return verdict;
    }
    // Running items count too: a dead run's go out again, and a provider's batch bills what it answers.
    QList<BatchItem> unfinished = BatchStore(*database).items(request.jobId);
    unfinished.removeIf([](const BatchItem& item) {
        return item.state != BatchItem::State::Pending && item.state != BatchItem::State::Running;
    });
    const BatchCostEstimate estimate = BatchCostEstimate::of(unfinished, request.profiles, request.prices,
                                                             request.providerMode, request.maxOutputTokens);
    verdict.unknownPrice = estimate.unknownPrice;
    if (estimate.worstCaseUsd > request.budgetUsd)
        verdict.refusal = overBudget(estimate, request.budgetUsd);
    return verdict;
}

BatchJobTasks::Exported BatchJobTasks::exportResults(const QString& databasePath, qint64 jobId,
                                                     const QStringList& profileNames, const QString& path) {
    Exported exported;
    exported.path = path;
    const std::unique_ptr<Database> database = Database::open(databasePath, &exported.error);
    if (!database)
        return exported;
    exported.summary = BatchExporter::write(BatchStore(*database).items(jobId), profileNames,
                                            BatchExporter::formatFor(path), path, &exported.error);
    return exported;
}

} // namespace parallax
