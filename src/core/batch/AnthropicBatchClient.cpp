#include "AnthropicBatchClient.h"

#include "providers/ErrorBodyParser.h"
#include "providers/ProviderRegistry.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace parallax {

namespace {
const QString kBatches = QStringLiteral("/v1/messages/batches");
}

AnthropicBatchClient::AnthropicBatchClient(QNetworkAccessManager* network, CompareTarget target,
                                           CallOptions options, QObject* parent)
    : ProviderBatchClient(network, std::move(target), options, parent) {}

QJsonObject AnthropicBatchClient::requestBody(const ChatRequest& request) const {
    QJsonObject body =
        QJsonDocument::fromJson(
            ProviderRegistry::provider(ProviderKind::Anthropic).buildBody(target().profile, request))
            .object();
    body.remove(QStringLiteral("stream")); // batches answer whole; a streaming request errors
    return body;
}

void AnthropicBatchClient::submit(const QList<Request>& requests) {
    QJsonArray entries;
    for (const auto& [customId, params] : requests)
        entries.append(QJsonObject{{"custom_id", customId}, {"params", params}});
    const QByteArray body = QJsonDocument(QJsonObject{{"requests", entries}}).toJson(QJsonDocument::Compact);
    send(request(kBatches), "POST", body, [this](const QByteArray& reply) {
        const RemoteBatchStatus status = parseStatus(QJsonDocument::fromJson(reply).object());
        if (status.remoteId.isEmpty()) {
            failMalformed(QStringLiteral("creating the batch answered without a batch id"));
            return;
        }
        emit submitted(status);
    });
}

void AnthropicBatchClient::poll(const QString& remoteId) {
    send(request(kBatches + QLatin1Char('/') + remoteId), "GET", {}, [this](const QByteArray& reply) {
        const RemoteBatchStatus status = parseStatus(QJsonDocument::fromJson(reply).object());
        if (status.status.isEmpty()) {
            failMalformed(QStringLiteral("the batch status could not be read"));
            return;
        }
        emit polled(status);
    });
}

void AnthropicBatchClient::cancelBatch(const QString& remoteId) {
    send(request(kBatches + QStringLiteral("/%1/cancel").arg(remoteId)), "POST", {},
         [this](const QByteArray& reply) {
             emit polled(parseStatus(QJsonDocument::fromJson(reply).object()));
         });
}

void AnthropicBatchClient::downloadResults(const RemoteBatchStatus& status) {
    QNetworkRequest results = request(kBatches + QStringLiteral("/%1/results").arg(status.remoteId));
    // The key goes only where it already goes: a results_url on another host is not followed.
    const QUrl given(status.resultsUrl);
    const QUrl base = target().profile.baseUrl;
    if (given.isValid() && given.scheme() == base.scheme() && given.host() == base.host() &&
        given.port(-1) == base.port(-1))
        results.setUrl(given);
    send(results, "GET", {}, [this](const QByteArray& body) {
        QList<RemoteBatchResult> parsed;
        if (parseResultLines(body, &AnthropicBatchClient::parseResultLine, parsed))
            emit resultsDownloaded(parsed);
    });
}

RemoteBatchStatus AnthropicBatchClient::parseStatus(const QJsonObject& batch) {
    RemoteBatchStatus status;
    status.remoteId = batch.value(QLatin1String("id")).toString();
    status.status = batch.value(QLatin1String("processing_status")).toString();
    status.ended = status.status == QLatin1String("ended");
    const QJsonObject counts = batch.value(QLatin1String("request_counts")).toObject();
    status.succeeded = counts.value(QLatin1String("succeeded")).toInt();
    status.failed = counts.value(QLatin1String("errored")).toInt() +
                    counts.value(QLatin1String("canceled")).toInt() +
                    counts.value(QLatin1String("expired")).toInt();
    status.total = status.succeeded + status.failed + counts.value(QLatin1String("processing")).toInt();
    status.resultsUrl = batch.value(QLatin1String("results_url")).toString();
    return status;
}

RemoteBatchResult AnthropicBatchClient::parseResultLine(const QJsonObject& line) {
    RemoteBatchResult result;
    result.customId = line.value(QLatin1String("custom_id")).toString();
    const QJsonObject outcome = line.value(QLatin1String("result")).toObject();
    const QString type = outcome.value(QLatin1String("type")).toString();
    if (type == QLatin1String("succeeded")) {
        result.kind = RemoteBatchResult::Kind::Succeeded;
        result.body = outcome.value(QLatin1String("message")).toObject();
    } else if (type == QLatin1String("errored")) {
        result.kind = RemoteBatchResult::Kind::Errored;
        result.error = ErrorBodyParser::fromStreamObject(outcome.value(QLatin1String("error")).toObject());
    } else if (type == QLatin1String("canceled")) {
        result.kind = RemoteBatchResult::Kind::Canceled;
    } else {
        // "expired", and whatever a later API version adds: no answer either way.
        result.kind = RemoteBatchResult::Kind::Expired;
        result.error.providerCode = type;
    }
    return result;
}

} // namespace parallax
