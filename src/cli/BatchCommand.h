#pragma once

#include "batch/BatchProgress.h"
#include "cli/CliError.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace parallax {
class BatchJobLock;
class BatchSession;
class BatchStore;
class Engine;
} // namespace parallax

namespace parallax::cli {

/// `parallax-cli batch -p SPEC ... --input FILE.{jsonl,csv} --output FILE.jsonl [--concurrency N]
/// [--resume] [--retry-failed] [--budget USD] [--mode local|provider] [--cancel]`: every row × profile
/// through the engine (or a provider's Batch API); progress on stderr (a live line on a terminal, a line
/// every few seconds otherwise); the output written in input order once the batch ends. The job lives
/// in the database, so `--resume` continues after a crash without sending anything that had finished,
/// and `--cancel` ends it: pending items cancelled, provider batches cancelled there, what they had
/// finished collected.
class BatchCommand : public QObject {
    Q_OBJECT
public:
    explicit BatchCommand(QObject* parent = nullptr);
    ~BatchCommand() override;

    /// `arguments` start with "batch". An error means nothing was sent.
    std::optional<CliError> start(const QStringList& arguments);
    void cancel();

signals:
    void done(int exitCode);

private:
    void reportProgress(bool force);
    void finish();

    QNetworkAccessManager* m_network = nullptr;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<BatchStore> m_store;
    std::unique_ptr<BatchJobLock> m_lock; ///< held while this process works on the job
    BatchSession* m_session = nullptr;
    qint64 m_jobId = 0;
    QString m_outputPath;
    bool m_interactive = false;
    BatchProgress m_progress;
    qint64 m_lastReportMs = -1;
};

} // namespace parallax::cli
