#include "AnthropicBatchApi.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include "BatchAnswerer.h"
#include "DeterministicRandom.h"
#include "JsonWriter.h"
#include "ProviderProtocol.h"

namespace parallax::mock {

namespace {
constexpr int kEndStep = 2; // created in progress, polled once in progress, then ended

QString rfc3339(qint64 seconds) {
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(Qt::ISODate);
}

JsonWriter& timeOrNull(JsonWriter& json, qint64 seconds) {
    return seconds > 0 ? json.str(rfc3339(seconds)) : json.null();
}

MockReply jsonReply(const QByteArray& body) {
    return {200, body, "application/json", {}};
}
} // namespace

AnthropicBatchApi::AnthropicBatchApi(const ProviderProtocol& protocol)
    : m_protocol(protocol) {}

bool AnthropicBatchApi::ownsPath(const QByteArray& path) {
    return path == "/v1/messages/batches" || path.startsWith("/v1/messages/batches/");
}

MockReply AnthropicBatchApi::handle(const HttpRequest& request, const MockConfig& config) {
    if (!config.requiredApiKey.isEmpty() &&
        m_protocol.presentedKey(request) != config.requiredApiKey.toUtf8())
        return error(401, QStringLiteral("invalid x-api-key (parallax-mock)"));
    if (const auto problem = m_protocol.checkHeaders(request))
        return error(400, *problem);
    const QList<QByteArray> parts = request.path.mid(1).split('/'); // v1, messages, batches, id, action
    const QString id = QString::fromUtf8(parts.value(3));
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";
    if (parts.size() == 3 && post)
        return createBatch(request, config);
    if (parts.size() == 4 && get)
        return pollBatch(id, request, config);
    if (parts.size() == 5 && get && parts.value(4) == "results")
        return results(id);
    if (parts.size() == 5 && post && parts.value(4) == "cancel")
        return cancelBatch(id, request);
    return error(404, QStringLiteral("Not found: %1 %2")
                          .arg(QString::fromUtf8(request.method), QString::fromUtf8(request.path)));
}

MockReply AnthropicBatchApi::createBatch(const HttpRequest& request, const MockConfig& config) {
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    const QJsonValue requests = document.object().value(QLatin1String("requests"));
    if (!requests.isArray() || requests.toArray().isEmpty())
        return error(400, QStringLiteral("requests: Field required (a non-empty list)"));
    MockBatch batch;
    QSet<QString> seen;
    int index = 0;
    for (const QJsonValue& value : requests.toArray()) {
        const QJsonObject entry = value.toObject();
        const QString customId = entry.value(QLatin1String("custom_id")).toString();
        if (customId.isEmpty() || customId.size() > 64)
            return error(400,
                         QStringLiteral("requests.%1.custom_id: a string of 1 to 64 characters is required")
                             .arg(index));
        if (seen.contains(customId))
            return error(400, QStringLiteral("requests.%1.custom_id: '%2' is not unique in this batch")
                                  .arg(index)
                                  .arg(customId));
        if (!entry.value(QLatin1String("params")).isObject())
            return error(400, QStringLiteral("requests.%1.params: Field required").arg(index));
        seen.insert(customId);
        batch.requests.append({customId, entry.value(QLatin1String("params")).toObject()});
        ++index;
    }
    ++m_created;
    DeterministicRandom random(config.seed ^ (static_cast<quint64>(m_created) * 0xD1B54A32D192ED03ULL));
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    batch.id = QStringLiteral("msgbatch_");
    for (int i = 0; i < 24; ++i)
        batch.id += QLatin1Char(kAlphabet[random.bounded(62)]);
    batch.createdAt = QDateTime::currentSecsSinceEpoch();
    batch.age.start();
    batch.seed = random.next();
    m_batches.insert(batch.id, batch);
    return jsonReply(batchJson(batch, request));
}

MockReply AnthropicBatchApi::pollBatch(const QString& id, const HttpRequest& request,
                                       const MockConfig& config) {
    const auto it = m_batches.find(id);
    if (it == m_batches.end())
        return error(404, QStringLiteral("Message batch %1 not found").arg(id));
    if (!it->ended) {
        it->advance(config);
        if (it->cancelRequested || it->step >= kEndStep)
            finish(*it, config);
    }
    return jsonReply(batchJson(*it, request));
}

MockReply AnthropicBatchApi::results(const QString& id) const {
    const auto it = m_batches.constFind(id);
    if (it == m_batches.constEnd())
        return error(404, QStringLiteral("Message batch %1 not found").arg(id));
    if (!it->ended)
        return error(400,
                     QStringLiteral("Message batch %1 has not ended yet; its results are not ready").arg(id));
    return {200, it->results, "application/binary", {}};
}

MockReply AnthropicBatchApi::cancelBatch(const QString& id, const HttpRequest& request) {
    const auto it = m_batches.find(id);
    if (it == m_batches.end())
        return error(404, QStringLiteral("Message batch %1 not found").arg(id));
    if (!it->ended && !it->cancelRequested)
        it->requestCancel(QDateTime::currentSecsSinceEpoch());
    return jsonReply(batchJson(*it, request));
}

void AnthropicBatchApi::finish(MockBatch& batch, const MockConfig& config) {
    QList<QByteArray> lines;
    DeterministicRandom random(batch.seed);
    for (qsizetype i = 0; i < batch.requests.size(); ++i) {
        const MockBatchRequest& request = batch.requests.at(i);
        JsonWriter json;
        json.beginObject().key("custom_id").str(request.customId).key("result").beginObject().key("type");
        if (batch.cancelRequested && i >= batch.answeredBeforeCancel) {
            ++batch.canceled;
            json.str(QStringLiteral("canceled"));
        } else if (config.batchExpireAfter >= 0 && i >= config.batchExpireAfter) {
            ++batch.expired;
            json.str(QStringLiteral("expired"));
        } else {
            BatchAnswerer::Result result;
            if (request.params.value(QLatin1String("stream")).toBool())
                result = {
                    400,
                    m_protocol.error(400, QStringLiteral("stream: streaming is not supported in batches"), 0)
                        .body.trimmed(),
                    QString()};
            else
                result = BatchAnswerer::answer(m_protocol, request.params, request.customId, config,
                                               random.next());
            if (result.status == 200) {
                ++batch.succeeded;
                json.str(QStringLiteral("succeeded")).key("message").raw(result.body);
            } else {
                ++batch.errored;
                json.str(QStringLiteral("errored")).key("error").raw(result.body);
            }
        }
        json.endObject().endObject();
        lines.append(json.data());
    }
    random.shuffle(lines);
    batch.results = lines.join('\n') + '\n';
    batch.ended = true;
    batch.endedAt = QDateTime::currentSecsSinceEpoch();
}

QByteArray AnthropicBatchApi::batchJson(const MockBatch& batch, const HttpRequest& request) const {
    const QString status = batch.ended             ? QStringLiteral("ended")
                           : batch.cancelRequested ? QStringLiteral("canceling")
                                                   : QStringLiteral("in_progress");
    JsonWriter json;
    json.beginObject().key("id").str(batch.id).key("type").str(QStringLiteral("message_batch"));
    json.key("processing_status").str(status);
    json.key("request_counts").beginObject();
    // The counts other than processing stay 0 until the whole batch has ended.
    json.key("processing").num(batch.ended ? 0 : batch.requests.size());
    json.key("succeeded").num(batch.succeeded).key("errored").num(batch.errored);
    json.key("canceled").num(batch.canceled).key("expired").num(batch.expired).endObject();
    timeOrNull(json.key("ended_at"), batch.endedAt);
    json.key("created_at").str(rfc3339(batch.createdAt));
    json.key("expires_at").str(rfc3339(batch.createdAt + 24 * 3600));
    json.key("archived_at").null();
    timeOrNull(json.key("cancel_initiated_at"), batch.cancelledAt);
    json.key("results_url");
    if (batch.ended) {
        const QByteArray host =
            request.header("host").isEmpty() ? QByteArray("127.0.0.1") : request.header("host");
        json.str(QStringLiteral("http://%1/v1/messages/batches/%2/results")
                     .arg(QString::fromUtf8(host), batch.id));
    } else {
        json.null();
    }
    json.endObject();
    return json.data();
}

MockReply AnthropicBatchApi::error(int status, const QString& message) const {
    const ErrorResponse response = m_protocol.error(status, message, 0);
    return {response.status, response.body, response.contentType, {}};
}

} // namespace parallax::mock
