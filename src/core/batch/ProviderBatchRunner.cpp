#include "ProviderBatchRunner.h"

#include "batch/BatchResultParser.h"
#include "batch/BatchStore.h"
#include "batch/ProviderBatchClient.h"
#include "batch/RemoteBatchStore.h"
#include "engine/AnswerJson.h"
#include "engine/Engine.h"
#include "engine/PriceTable.h"
#include "sanitize/Restorer.h"
#include "sanitize/Sanitizer.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcBatch)

namespace parallax {

namespace {
// The providers' own limits per batch (WIRE.md §8 and §2.6); bigger jobs go up as several batches.
constexpr int kOpenAiMaxRequests = 50'000;
constexpr int kAnthropicMaxRequests = 100'000;
constexpr qint64 kOpenAiMaxBytes = 200LL * 1000 * 1000;    // the input file
constexpr qint64 kAnthropicMaxBytes = 256LL * 1000 * 1000; // the create request
// What a request adds around its body: OpenAI's JSONL line ({"custom_id", "method", "url", "body"})
// or Anthropic's array entry ({"custom_id", "params"}), with a generous custom_id.
constexpr qint64 kEnvelopeBytes = 160;
// A poll that fails this often in a row (network, 5xx) gives up for now; --resume polls again.
constexpr int kMaxPollFailures = 10;

ProviderError batchError(ErrorType type, const QString& message) {
    ProviderError error;
    error.type = type;
    error.message = message;
    return error;
}
} // namespace

ProviderBatchRunner::ProviderBatchRunner(Engine& engine, BatchStore& store, qint64 jobId,
                                         QList<CompareTarget> targets, Options options, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_store(store)
    , m_remote(std::make_unique<RemoteBatchStore>(engine.database()))
    , m_jobId(jobId)
    , m_targets(std::move(targets))
    , m_options(std::move(options)) {
    m_options.limits.pollIntervalMs = qMax(1, m_options.limits.pollIntervalMs);
}

ProviderBatchRunner::~ProviderBatchRunner() {
    for (Tracker* tracker : std::as_const(m_trackers)) {
        delete tracker->client;
        delete tracker;
    }
}

bool ProviderBatchRunner::supports(ProviderKind kind) {
    return ProviderBatchClient::supports(kind);
}

void ProviderBatchRunner::start() {
    const QList<BatchItem> items = m_store.items(m_jobId);
    QHash<int, QList<BatchItem>> pending;
    for (const BatchItem& item : items) {
        if (item.profileIndex >= m_targets.size() || !supports(m_targets.at(item.profileIndex).profile.kind))
            continue;
        ++m_total;
        if (item.state == BatchItem::State::Done || item.state == BatchItem::State::Cancelled)
            ++m_finished;
        else if (item.state == BatchItem::State::Failed)
            ++m_finished, ++m_failed;
        else if (item.state == BatchItem::State::Pending)
            pending[item.profileIndex].append(item);
    }

    QString error;
    for (const RemoteBatch& batch : m_remote->unfinished(m_jobId)) {
        if (batch.phase == RemoteBatch::Phase::Submitting && batch.inputFileId.isEmpty()) {
            // The provider never confirmed this batch (the process died while submitting): its items
            // are submitted again below. The one risk is a kill in the instant between the provider
            // accepting it and its id being committed.
            qCWarning(lcBatch).noquote()
                << "a batch submission was interrupted before the provider confirmed "
                   "it; its items are submitted again";
            if (!m_remote->abandon(batch.id, &error)) {
                qCWarning(lcBatch).noquote() << "cannot record the interrupted submission:" << error;
                continue;
            }
            for (const BatchItem& item : m_store.items(m_jobId, BatchItem::State::Pending)) {
                if (item.profileIndex == batch.profileIndex &&
                    std::none_of(pending[item.profileIndex].cbegin(), pending[item.profileIndex].cend(),
                                 [&item](const BatchItem& known) { return known.id == item.id; }))
                    pending[item.profileIndex].append(item);
            }
            continue;
        }
        Tracker* tracker = track(batch);
        if (!tracker)
            continue;
        if (batch.phase == RemoteBatch::Phase::Submitting) {
            emit statusReport(QStringLiteral("%1: creating the batch from the uploaded input %2")
                                  .arg(label(tracker), batch.inputFileId));
            tracker->client->submitUploaded(batch.inputFileId);
        } else {
            emit statusReport(QStringLiteral("%1: resuming polling").arg(label(tracker)));
            schedulePoll(tracker, 0);
        }
    }

    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        QList<BatchItem> profileItems = it.value();
        std::sort(profileItems.begin(), profileItems.end(),
                  [](const BatchItem& a, const BatchItem& b) { return a.rowIndex < b.rowIndex; });
        submitPending(it.key(), profileItems);
    }
    emit progress(m_finished, m_total, m_failed);
    // Asynchronously, so the caller has connected and returned before a job with nothing to do ends.
    QTimer::singleShot(0, this, &ProviderBatchRunner::finishIfIdle);
}

void ProviderBatchRunner::stop() {
    if (m_stopped)
        return;
    m_stopped = true;
    m_unfinishedRemote = static_cast<int>(m_trackers.size());
    for (Tracker* tracker : std::as_const(m_trackers)) {
        tracker->client->abort();
        tracker->timer->stop();
        if (!tracker->batch.remoteId.isEmpty())
            emit statusReport(
                QStringLiteral("%1: stopped polling; the provider keeps working on it (run again "
                               "with --resume to collect the results)")
                    .arg(label(tracker)));
    }
    finishIfIdle();
}

void ProviderBatchRunner::cancelRemote() {
    if (m_cancelRequested || m_stopped)
        return;
    m_cancelRequested = true;
    for (Tracker* tracker : std::as_const(m_trackers)) {
        if (!tracker->batch.remoteId.isEmpty())
            requestCancel(tracker);
        // else: the provider has not named the batch yet; `submitted` cancels it.
    }
}

void ProviderBatchRunner::requestCancel(Tracker* tracker) {
    if (tracker->lastStatus.ended)
        return; // its results are being downloaded: nothing is left to cancel
    // One operation at a time per client: a poll in flight gives way to the cancel, whose answer is
    // the batch's status and goes through onPolled like a poll's.
    tracker->timer->stop();
    tracker->client->abort();
    tracker->cancelling = true;
    emit statusReport(QStringLiteral("%1: cancelling at the provider").arg(label(tracker)));
    tracker->client->cancelBatch(tracker->batch.remoteId);
}

ProviderBatchRunner::Tracker* ProviderBatchRunner::track(const RemoteBatch& batch) {
    if (batch.profileIndex >= m_targets.size())
        return nullptr;
    CompareTarget target = m_targets.at(batch.profileIndex);
    // A batch lives where it was submitted, whatever base URL this run was given.
    target.profile.baseUrl = QUrl(batch.baseUrl);
    std::unique_ptr<ProviderBatchClient> client =
        ProviderBatchClient::create(m_engine.network(), target, m_options.call, nullptr);
    if (!client)
        return nullptr;
    auto* tracker = new Tracker;
    tracker->batch = batch;
    tracker->client = client.release();
    tracker->timer = new QTimer(tracker->client);
    tracker->timer->setSingleShot(true);
    m_trackers.insert(batch.id, tracker);

    ProviderBatchClient* c = tracker->client;
    connect(tracker->timer, &QTimer::timeout, this,
            [tracker] { tracker->client->poll(tracker->batch.remoteId); });
    connect(c, &ProviderBatchClient::inputUploaded, this, [this, tracker](const QString& fileId) {
        QString error;
        tracker->batch.inputFileId = fileId;
        if (!m_remote->setInputFile(tracker->batch.id, fileId, &error))
            qCWarning(lcBatch).noquote() << "cannot record the uploaded batch input:" << error;
    });
    connect(c, &ProviderBatchClient::submitted, this, [this, tracker](const RemoteBatchStatus& status) {
        QString error;
        tracker->batch.remoteId = status.remoteId;
        tracker->batch.phase = RemoteBatch::Phase::Polling;
        tracker->lastStatus = status;
        if (!m_remote->setSubmitted(tracker->batch.id, status.remoteId, status.status, &error)) {
            // Without the id on disk a restart would submit again: stop here rather than risk it.
            qCWarning(lcBatch).noquote()
                << "cannot record the submitted batch" << status.remoteId << ":" << error;
            release(tracker, false);
            return;
        }
        emit statusReport(QStringLiteral("%1: submitted (%2)").arg(label(tracker), status.status));
        if (m_cancelRequested)
            requestCancel(tracker);
        else
            schedulePoll(tracker, m_options.limits.pollIntervalMs);
    });
    connect(c, &ProviderBatchClient::polled, this,
            [this, tracker](const RemoteBatchStatus& status) { onPolled(tracker, status); });
    connect(c, &ProviderBatchClient::resultsDownloaded, this,
            [this, tracker](const QList<RemoteBatchResult>& results) { onResults(tracker, results); });
    connect(c, &ProviderBatchClient::failed, this, [this, tracker](const ProviderError& error) {
        if (tracker->cancelling) {
            // Most often the batch ended meanwhile (nothing to cancel): polling collects its results.
            tracker->cancelling = false;
            emit statusReport(QStringLiteral("%1: the provider did not cancel it: %2; collecting its "
                                             "results when it ends")
                                  .arg(label(tracker), error.message));
            schedulePoll(tracker, 0);
            return;
        }
        if (tracker->batch.phase == RemoteBatch::Phase::Submitting) {
            // The provider refused the batch: nothing of it runs, each item carries the reason.
            emit statusReport(
                QStringLiteral("%1: the provider refused the batch: %2").arg(label(tracker), error.message));
            failAll(tracker, error);
        } else {
            onTransientFailure(tracker, error,
                               tracker->lastStatus.ended ? QStringLiteral("downloading results")
                                                         : QStringLiteral("polling"));
        }
    });
    return tracker;
}

void ProviderBatchRunner::submitPending(int profileIndex, const QList<BatchItem>& items) {
    const CompareTarget& target = m_targets.at(profileIndex);
    const bool openAi = target.profile.kind == ProviderKind::OpenAi;
    int maxRequests = openAi ? kOpenAiMaxRequests : kAnthropicMaxRequests;
    if (m_options.limits.maxRequestsPerBatch > 0)
        maxRequests = qMin(maxRequests, m_options.limits.maxRequestsPerBatch);
    qint64 maxBytes = openAi ? kOpenAiMaxBytes : kAnthropicMaxBytes;
    if (m_options.limits.maxBytesPerBatch > 0)
        maxBytes = qMin(maxBytes, m_options.limits.maxBytesPerBatch);
    const std::unique_ptr<ProviderBatchClient> client =
        ProviderBatchClient::create(m_engine.network(), target, m_options.call, nullptr);
    if (!client)
        return;
    QList<BatchItem> partItems;
    QList<ProviderBatchClient::Request> partRequests;
    qint64 partBytes = 0;
    for (const BatchItem& item : items) {
        Vault vault; // rebuilt the same way from the prompt when the results arrive
        ProviderBatchClient::Request request{QString::number(item.id),
                                             client->requestBody(requestFor(item, vault))};
        const qint64 bytes =
            kEnvelopeBytes + QJsonDocument(request.second).toJson(QJsonDocument::Compact).size();
        // An item bigger than the limit on its own still goes, alone: the provider says what it thinks.
        if (!partItems.isEmpty() && (partItems.size() >= maxRequests || partBytes + bytes > maxBytes)) {
            submit(profileIndex, partItems, partRequests);
            partItems.clear();
            partRequests.clear();
            partBytes = 0;
        }
        partItems.append(item);
        partRequests.append(std::move(request));
        partBytes += bytes;
    }
    submit(profileIndex, partItems, partRequests);
}

void ProviderBatchRunner::submit(int profileIndex, const QList<BatchItem>& items,
                                 const QList<ProviderBatchClient::Request>& requests) {
    if (items.isEmpty())
        return;
    const CompareTarget& target = m_targets.at(profileIndex);
    QList<qint64> ids;
    for (const BatchItem& item : items)
        ids.append(item.id);
    QString error;
    const std::optional<qint64> id = m_remote->begin(m_jobId, profileIndex, target.profile.kind,
                                                     target.profile.baseUrl.toString(), ids, &error);
    if (!id) {
        qCWarning(lcBatch).noquote() << "cannot record a new provider batch:" << error;
        return;
    }
    RemoteBatch batch;
    batch.id = *id;
    batch.jobId = m_jobId;
    batch.profileIndex = profileIndex;
    batch.kind = target.profile.kind;
    batch.baseUrl = target.profile.baseUrl.toString();
    Tracker* tracker = track(batch);
    if (!tracker)
        return;
    emit statusReport(QStringLiteral("%1: submitting %2 requests").arg(label(tracker)).arg(items.size()));
    tracker->client->submit(requests);
}

void ProviderBatchRunner::schedulePoll(Tracker* tracker, int delayMs) {
    if (!m_stopped)
        tracker->timer->start(delayMs);
}

void ProviderBatchRunner::onPolled(Tracker* tracker, const RemoteBatchStatus& status) {
    tracker->pollFailures = 0;
    tracker->cancelling = false;
    const bool changed = status.status != tracker->lastStatus.status;
    tracker->lastStatus = status;
    QString error;
    if (!m_remote->setStatus(tracker->batch.id, status.status, status.outputFileId, status.errorFileId,
                             status.resultsUrl, &error))
        qCWarning(lcBatch).noquote() << "cannot record the batch status:" << error;
    if (changed || status.ended)
        emit statusReport(QStringLiteral("%1: %2 (%3 of %4 answered, %5 failed)")
                              .arg(label(tracker), status.status)
                              .arg(status.succeeded)
                              .arg(status.total)
                              .arg(status.failed));
    if (status.ended)
        tracker->client->downloadResults(status);
    else
        schedulePoll(tracker, m_options.limits.pollIntervalMs);
}

void ProviderBatchRunner::onResults(Tracker* tracker, const QList<RemoteBatchResult>& results) {
    const CompareTarget& target = m_targets.at(tracker->batch.profileIndex);
    const QString status = tracker->lastStatus.status;
    QHash<QString, const RemoteBatchResult*> byCustomId;
    for (const RemoteBatchResult& result : results)
        byCustomId.insert(result.customId, &result);

    const QList<BatchItem> items = m_remote->runningItems(tracker->batch.id);
    QList<RemoteBatchStore::Outcome> outcomes;
    QList<QPair<BatchItem, Answer>> answers;
    outcomes.reserve(items.size());
    const std::optional<ModelPrice> price = batchPrice(target.profile);
    for (const BatchItem& item : items) {
        Answer answer;
        answer.profile = target.profile.name;
        answer.kind = target.profile.kind;
        answer.model = target.profile.model;
        answer.attempts = qMax(1, item.attempts);
        BatchItem::State state = BatchItem::State::Failed;
        const RemoteBatchResult* result = byCustomId.value(QString::number(item.id));
        const RemoteBatchResult::Kind kind =
            result ? result->kind
            : status == QLatin1String("cancelled") || status == QLatin1String("canceled")
                ? RemoteBatchResult::Kind::Canceled
            : status == QLatin1String("expired") ? RemoteBatchResult::Kind::Expired
                                                 : RemoteBatchResult::Kind::Errored;
        switch (kind) {
        case RemoteBatchResult::Kind::Succeeded: {
            answer = BatchResultParser::parse(target.profile, result->body);
            answer.attempts = qMax(1, item.attempts);
            state = answer.succeeded() ? BatchItem::State::Done : BatchItem::State::Failed;
            if (m_options.sanitizer && m_options.profileSanitized.value(item.profileIndex, true)) {
                Vault vault;
                requestFor(item, vault); // the same placeholders as when it was sent
                if (!vault.isEmpty()) {
                    answer.text = Restorer::restore(answer.text, vault);
                    answer.thinking = Restorer::restore(answer.thinking, vault);
                }
            }
            if (price)
                answer.costUsd = PriceTable::cost(*price, answer.usage);
            break;
        }
        case RemoteBatchResult::Kind::Errored:
            answer.error = result
                               ? result->error
                               : batchError(ErrorType::Server,
                                            tracker->lastStatus.message.isEmpty()
                                                ? QStringLiteral("the provider's batch ended (%1) without a "
                                                                 "result for this request")
                                                      .arg(status)
                                                : QStringLiteral("the provider rejected the batch: %1")
                                                      .arg(tracker->lastStatus.message));
            break;
        case RemoteBatchResult::Kind::Canceled:
            answer.error = batchError(ErrorType::Cancelled,
                                      QStringLiteral("the batch was cancelled before this request ran"));
            state = BatchItem::State::Cancelled;
            break;
        case RemoteBatchResult::Kind::Expired:
            answer.error =
                batchError(ErrorType::Timeout, QStringLiteral("the provider's batch expired (its 24 h "
                                                              "window ended) before this request ran"));
            break;
        }
        if (answer.error)
            answer.finishReason = FinishReason::Error;
        outcomes.append({item.id, state, AnswerJson::toCompactText(answer)});
        answers.append({item, answer});
    }

    QString error;
    if (!m_remote->merge(tracker->batch.id, outcomes, &error)) {
        qCWarning(lcBatch).noquote() << "cannot record the results of" << tracker->batch.remoteId << ":"
                                     << error;
        release(tracker, false);
        return;
    }
    int failedHere = 0;
    for (const auto& [item, answer] : std::as_const(answers)) {
        recordSpendAndAudit(item, answer, target.profile);
        ++m_finished;
        if (!answer.succeeded() && answer.error->type != ErrorType::Cancelled) {
            ++m_failed;
            ++failedHere;
        }
    }
    emit statusReport(QStringLiteral("%1: %2 results merged (%3 failed)")
                          .arg(label(tracker))
                          .arg(answers.size())
                          .arg(failedHere));
    emit progress(m_finished, m_total, m_failed);
    release(tracker, true);
}

void ProviderBatchRunner::failAll(Tracker* tracker, const ProviderError& error) {
    const CompareTarget& target = m_targets.at(tracker->batch.profileIndex);
    QList<RemoteBatchStore::Outcome> outcomes;
    QList<QPair<BatchItem, Answer>> answers;
    for (const BatchItem& item : m_remote->runningItems(tracker->batch.id)) {
        Answer answer;
        answer.profile = target.profile.name;
        answer.kind = target.profile.kind;
        answer.model = target.profile.model;
        answer.attempts = qMax(1, item.attempts);
        answer.error = error;
        answer.finishReason = FinishReason::Error;
        outcomes.append({item.id, BatchItem::State::Failed, AnswerJson::toCompactText(answer)});
        answers.append({item, answer});
    }
    QString problem;
    if (!m_remote->merge(tracker->batch.id, outcomes, &problem)) {
        qCWarning(lcBatch).noquote() << "cannot record the refused batch:" << problem;
        release(tracker, false);
        return;
    }
    for (const auto& [item, answer] : std::as_const(answers)) {
        recordSpendAndAudit(item, answer, target.profile);
        ++m_finished;
        ++m_failed;
    }
    emit progress(m_finished, m_total, m_failed);
    release(tracker, true);
}

void ProviderBatchRunner::onTransientFailure(Tracker* tracker, const ProviderError& error,
                                             const QString& during) {
    ++tracker->pollFailures;
    if (!error.retryable || tracker->pollFailures >= kMaxPollFailures) {
        emit statusReport(QStringLiteral("%1: giving up %2 for now: %3 (run again with --resume)")
                              .arg(label(tracker), during, error.message));
        ++m_unfinishedRemote;
        release(tracker, false);
        return;
    }
    qCInfo(lcBatch).noquote() << label(tracker) << during << "failed:" << error.message << "- trying again";
    // Polling again also repeats a download that failed: an ended batch answers with its files.
    tracker->lastStatus.status.clear();
    tracker->lastStatus.ended = false;
    schedulePoll(tracker, m_options.limits.pollIntervalMs);
}

void ProviderBatchRunner::release(Tracker* tracker, bool /*finished*/) {
    m_trackers.remove(tracker->batch.id);
    tracker->client->disconnect(this);
    tracker->client->abort();
    tracker->client->deleteLater(); // this may run inside one of its signals
    delete tracker;
    finishIfIdle();
}

void ProviderBatchRunner::finishIfIdle() {
    if (m_done || (!m_trackers.isEmpty() && !m_stopped))
        return;
    m_done = true;
    emit done();
}

ChatRequest ProviderBatchRunner::requestFor(const BatchItem& item, Vault& vault) const {
    ChatRequest request = m_options.parameters;
    request.system = item.systemPrompt.isEmpty() ? m_options.parameters.system : item.systemPrompt;
    request.messages = {ChatMessage{ChatMessage::Role::User, item.prompt}};
    if (m_options.sanitizer && m_options.profileSanitized.value(item.profileIndex, true)) {
        // System first, then the prompt: the vault numbers placeholders in this order every time.
        request.system = m_options.sanitizer->sanitize(request.system, vault).text;
        request.messages.first().content = m_options.sanitizer->sanitize(item.prompt, vault).text;
    }
    return request;
}

std::optional<ModelPrice> ProviderBatchRunner::batchPrice(const ProviderProfile& profile) {
    std::optional<ModelPrice> price = m_engine.prices().find(profile);
    if (!price)
        return std::nullopt;
    if (price->batchInputPerMillion && price->batchOutputPerMillion) {
        price->inputPerMillion = *price->batchInputPerMillion;
        price->outputPerMillion = *price->batchOutputPerMillion;
        if (price->cachedInputPerMillion)
            price->cachedInputPerMillion = qMin(*price->cachedInputPerMillion, *price->batchInputPerMillion);
    } else if (!m_warnedPrice.value(profile.model)) {
        // Billing the standard price overstates the cost, which is the safe side for budgets.
        m_warnedPrice.insert(profile.model, true);
        qCWarning(lcBatch).noquote() << "no batch price is known for" << profile.model
                                     << "- its cost is counted at the standard price";
    }
    return price;
}

void ProviderBatchRunner::recordSpendAndAudit(const BatchItem& item, const Answer& answer,
                                              const ProviderProfile& profile) {
    const QString requestId = QStringLiteral("batch-%1/%2").arg(m_jobId).arg(item.id);
    QString error;
    if (answer.costUsd && *answer.costUsd > 0) {
        m_spentUsd += *answer.costUsd;
        if (!m_engine.spend().record(requestId, profile.name, profile.model, *answer.costUsd, m_engine.now(),
                                     &error))
            qCWarning(lcBatch).noquote() << "could not record spend:" << error;
    }
    AuditRecord record;
    record.time = m_engine.now();
    record.requestId = requestId;
    record.profile = profile.name;
    record.kind = providerKindName(profile.kind);
    record.model = profile.model;
    record.endpointHost = profile.baseUrl.host();
    Vault vault;
    const ChatRequest sent = requestFor(item, vault);
    QCryptographicHash promptHash(QCryptographicHash::Sha256);
    promptHash.addData(sent.system.toUtf8());
    promptHash.addData(QByteArrayView("\n"));
    promptHash.addData(sent.messages.first().content.toUtf8());
    record.promptSha256 = QString::fromLatin1(promptHash.result().toHex());
    record.promptLength = sent.system.size() + sent.messages.first().content.size();
    record.status = answer.succeeded()                           ? QStringLiteral("ok")
                    : answer.error->type == ErrorType::Cancelled ? QStringLiteral("cancelled")
                                                                 : QStringLiteral("failed");
    record.errorType = answer.error ? errorTypeName(answer.error->type) : QString();
    record.inputTokens = answer.usage.inputTokens;
    record.outputTokens = answer.usage.outputTokens;
    record.costUsd = answer.costUsd;
    record.attempts = answer.attempts;
    if (!m_engine.audit().append(record, &error))
        qCWarning(lcBatch).noquote() << "could not write the audit log:" << error;
}

QString ProviderBatchRunner::label(const Tracker* tracker) const {
    const QString name = providerKindName(tracker->batch.kind);
    return tracker->batch.remoteId.isEmpty()
               ? QStringLiteral("%1 batch").arg(name)
               : QStringLiteral("%1 batch %2").arg(name, tracker->batch.remoteId);
}

} // namespace parallax
