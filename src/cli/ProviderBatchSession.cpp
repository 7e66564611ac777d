#include "ProviderBatchSession.h"

#include "batch/BatchStore.h"

#include <cstdio>

namespace parallax::cli {

namespace {
void printErr(const QString& text) {
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
    std::fflush(stderr);
}
} // namespace

ProviderBatchSession::ProviderBatchSession(Engine& engine, BatchStore& store, qint64 jobId,
                                           const QList<QList<CompareTarget>>& chains,
                                           BatchRunner::Options localOptions, int pollIntervalMs,
                                           QObject* parent)
    : QObject(parent) {
    QList<CompareTarget> targets;
    QList<int> localProfiles;
    for (qsizetype index = 0; index < chains.size(); ++index) {
        const CompareTarget& target = chains.at(index).first();
        targets.append(target);
        if (!ProviderBatchRunner::supports(target.profile.kind)) {
            localProfiles.append(static_cast<int>(index));
            printErr(QStringLiteral("batch: %1 has no provider Batch API here; its items run locally\n")
                         .arg(target.profile.name));
        } else if (chains.at(index).size() > 1) {
            printErr(QStringLiteral("batch: %1: fallbacks do not apply to a provider batch\n")
                         .arg(target.profile.name));
        }
    }
    if (localProfiles.size() < chains.size()) {
        ProviderBatchRunner::Options options;
        options.parameters = localOptions.parameters;
        options.call = localOptions.call;
        options.sanitizer = localOptions.sanitizer;
        options.profileSanitized = localOptions.profileSanitized;
        options.pollIntervalMs = pollIntervalMs;
        m_remote = new ProviderBatchRunner(engine, store, jobId, targets, options, this);
        connect(m_remote, &ProviderBatchRunner::progress, this, &ProviderBatchSession::progress);
        connect(m_remote, &ProviderBatchRunner::statusReport, this,
                [](const QString& line) { printErr(QStringLiteral("batch: %1\n").arg(line)); });
        connect(m_remote, &ProviderBatchRunner::done, this, &ProviderBatchSession::partDone);
    }
    if (!localProfiles.isEmpty()) {
        for (const BatchItem& item : store.items(jobId)) {
            if (!localProfiles.contains(item.profileIndex))
                continue;
            ++m_localTotal;
            if (item.state == BatchItem::State::Done || item.state == BatchItem::State::Failed)
                ++m_localFinishedAtStart;
            if (item.state == BatchItem::State::Failed)
                ++m_localFailedAtStart;
        }
        localOptions.onlyProfiles = localProfiles;
        m_local = new BatchRunner(engine, store, jobId, chains, localOptions, this);
        connect(m_local, &BatchRunner::itemFinished, this, [this](const BatchItem& item) {
            ++m_localFinished;
            if (item.state == BatchItem::State::Failed)
                ++m_localFailed;
            emit progress();
        });
        connect(m_local, &BatchRunner::done, this, &ProviderBatchSession::partDone);
    }
}

ProviderBatchSession::~ProviderBatchSession() {
    // Before the engine and store they use, which the owner destroys after this.
    delete m_local;
    delete m_remote;
}

void ProviderBatchSession::start() {
    m_partsRunning = (m_remote ? 1 : 0) + (m_local ? 1 : 0);
    if (m_remote)
        m_remote->start();
    if (m_local)
        m_local->start();
}

void ProviderBatchSession::stop() {
    if (m_remote)
        m_remote->stop();
    if (m_local)
        m_local->cancel();
}

int ProviderBatchSession::total() const {
    return (m_remote ? m_remote->total() : 0) + m_localTotal;
}

int ProviderBatchSession::finished() const {
    return (m_remote ? m_remote->finished() : 0) + m_localFinishedAtStart + m_localFinished;
}

int ProviderBatchSession::failed() const {
    return (m_remote ? m_remote->failed() : 0) + m_localFailedAtStart + m_localFailed;
}

double ProviderBatchSession::spentUsd() const {
    return (m_remote ? m_remote->spentUsd() : 0) + (m_local ? m_local->spentUsd() : 0);
}

void ProviderBatchSession::partDone() {
    if (--m_partsRunning == 0)
        emit done();
}

} // namespace parallax::cli
