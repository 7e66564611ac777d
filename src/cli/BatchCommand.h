#pragma once

#include "cli/CliError.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace parallax {
class BatchRunner;
class BatchStore;
class Engine;
} // namespace parallax

namespace parallax::cli {

/// `parallax-cli batch -p SPEC ... --input FILE.{jsonl,csv} --output FILE.jsonl [--concurrency N]
/// [--resume] [--retry-failed] [--budget USD]`: every row × profile through the engine; progress on
/// stderr (a live line on a terminal, a line every few seconds otherwise); the output written in input
/// order once the batch ends. The job lives in the database, so `--resume` continues after a crash
/// without sending anything that had finished.
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
    BatchRunner* m_runner = nullptr;
    qint64 m_jobId = 0;
    QString m_outputPath;
    bool m_interactive = false;
    QElapsedTimer m_clock;
    qint64 m_lastReportMs = -1;
    int m_finishedAtStart = 0;
};

} // namespace parallax::cli
