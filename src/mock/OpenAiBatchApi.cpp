#include "OpenAiBatchApi.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

#include "BatchAnswerer.h"
#include "DeterministicRandom.h"
#include "JsonWriter.h"
#include "MultipartForm.h"
#include "ProviderProtocol.h"

namespace parallax::mock {

namespace {
constexpr int kFinalStep = 3; // validating, in_progress, finalizing, then the end

qint64 nowSeconds() {
    return QDateTime::currentSecsSinceEpoch();
}

JsonWriter& numOrNull(JsonWriter& json, qint64 value) {
    return value > 0 ? json.num(value) : json.null();
}

JsonWriter& strOrNull(JsonWriter& json, const QString& value) {
    return value.isEmpty() ? json.null() : json.str(value);
}

MockReply jsonReply(const QByteArray& body, int status = 200) {
    return {status, body, "application/json", {}};
}
} // namespace

OpenAiBatchApi::OpenAiBatchApi(const ProviderProtocol& protocol)
    : m_protocol(protocol) {}

bool OpenAiBatchApi::ownsPath(const QByteArray& path) {
    return path == "/v1/files" || path.startsWith("/v1/files/") || path == "/v1/batches" ||
           path.startsWith("/v1/batches/");
}

MockReply OpenAiBatchApi::handle(const HttpRequest& request, const MockConfig& config) {
    if (!config.requiredApiKey.isEmpty() &&
        m_protocol.presentedKey(request) != config.requiredApiKey.toUtf8())
        return error(401, QStringLiteral("Incorrect API key provided (parallax-mock)."));
    const QList<QByteArray> parts = request.path.mid(1).split('/'); // v1, files|batches, id, action
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";
    const QString id = QString::fromUtf8(parts.value(2));
    if (parts.value(1) == "files") {
        if (parts.size() == 2 && post)
            return uploadFile(request);
        if (parts.size() == 3 && get)
            return fileObject(id);
        if (parts.size() == 4 && get && parts.value(3) == "content")
            return fileContent(id);
    } else {
        if (parts.size() == 2 && post)
            return createBatch(request, config);
        if (parts.size() == 3 && get)
            return pollBatch(id, config);
        if (parts.size() == 4 && post && parts.value(3) == "cancel")
            return cancelBatch(id, config);
    }
    return error(404, QStringLiteral("Unknown request URL: %1 %2.")
                          .arg(QString::fromUtf8(request.method), QString::fromUtf8(request.path)));
}

MockReply OpenAiBatchApi::uploadFile(const HttpRequest& request) {
    const std::optional<MultipartForm> form =
        MultipartForm::parse(request.header("content-type"), request.body);
    if (!form)
        return error(400,
                     QStringLiteral("The upload must be multipart/form-data with a file and a purpose."));
    const MultipartForm::Part* purpose = form->part(QStringLiteral("purpose"));
    const MultipartForm::Part* file = form->part(QStringLiteral("file"));
    if (!purpose || !file)
        return error(400, QStringLiteral("Missing required parameter: '%1'.")
                              .arg(purpose ? QStringLiteral("file") : QStringLiteral("purpose")));
    const QString purposeText = QString::fromUtf8(purpose->data.trimmed());
    if (purposeText != QLatin1String("batch"))
        return error(
            400, QStringLiteral("parallax-mock accepts only purpose 'batch', got '%1'.").arg(purposeText));
    if (!file->fileName.endsWith(QLatin1String(".jsonl")))
        return error(
            400, QStringLiteral("A batch input file must be a .jsonl file, got '%1'.").arg(file->fileName));
    return fileObject(addFile(file->fileName, purposeText, file->data));
}

QString OpenAiBatchApi::addFile(const QString& fileName, const QString& purpose, const QByteArray& data) {
    File file{newId("file-", 24), fileName, purpose, data, nowSeconds()};
    m_files.insert(file.id, file);
    return file.id;
}

MockReply OpenAiBatchApi::fileObject(const QString& id) const {
    const auto it = m_files.constFind(id);
    if (it == m_files.constEnd())
        return error(404, QStringLiteral("No such File object: %1").arg(id));
    JsonWriter json;
    json.beginObject().key("id").str(it->id).key("object").str(QStringLiteral("file"));
    json.key("bytes").num(it->data.size()).key("created_at").num(it->createdAt);
    json.key("filename").str(it->fileName).key("purpose").str(it->purpose);
    json.key("status").str(QStringLiteral("processed")).key("status_details").null().endObject();
    return jsonReply(json.data());
}

MockReply OpenAiBatchApi::fileContent(const QString& id) const {
    const auto it = m_files.constFind(id);
    if (it == m_files.constEnd())
        return error(404, QStringLiteral("No such File object: %1").arg(id));
    return {200, it->data, "application/octet-stream", {}};
}

MockReply OpenAiBatchApi::createBatch(const HttpRequest& request, const MockConfig& config) {
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString fileId = body.value(QLatin1String("input_file_id")).toString();
    const QString endpoint = body.value(QLatin1String("endpoint")).toString();
    const QString window = body.value(QLatin1String("completion_window")).toString();
    if (fileId.isEmpty() || endpoint.isEmpty() || window.isEmpty())
        return error(400, QStringLiteral("input_file_id, endpoint and completion_window are required."));
    if (window != QLatin1String("24h"))
        return error(
            400, QStringLiteral("Invalid completion_window: '%1'. Supported values are: '24h'.").arg(window));
    if (endpoint != QLatin1String("/v1/chat/completions"))
        return error(400, QStringLiteral("parallax-mock batches support only /v1/chat/completions, got '%1'.")
                              .arg(endpoint));
    const auto file = m_files.constFind(fileId);
    if (file == m_files.constEnd())
        return error(404, QStringLiteral("No such File object: %1").arg(fileId));
    if (file->purpose != QLatin1String("batch"))
        return error(400, QStringLiteral("The file %1 was not uploaded with purpose 'batch'.").arg(fileId));

    MockBatch batch;
    batch.id = newId("batch_", 32);
    batch.inputFileId = fileId;
    batch.endpoint = endpoint;
    batch.metadata = body.value(QLatin1String("metadata")).toObject();
    batch.createdAt = nowSeconds();
    batch.age.start();
    batch.seed = config.seed ^ (static_cast<quint64>(m_created + 1) * 0x9E3779B97F4A7C15ULL);
    validate(batch, file->data);
    ++m_created;
    m_batches.insert(batch.id, batch);
    return jsonReply(batchJson(batch));
}

void OpenAiBatchApi::validate(MockBatch& batch, const QByteArray& input) const {
    QSet<QString> seen;
    int lineNumber = 0;
    const auto fail = [&](const QString& message) {
        if (batch.validationError.isEmpty()) {
            batch.validationError = message;
            batch.validationLine = lineNumber;
        }
    };
    for (const QByteArray& line : input.split('\n')) {
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        const QJsonDocument document = QJsonDocument::fromJson(line);
        const QJsonObject object = document.object();
        const QString customId = object.value(QLatin1String("custom_id")).toString();
        if (!document.isObject())
            fail(QStringLiteral("This line is not valid JSON."));
        else if (customId.isEmpty())
            fail(QStringLiteral("Missing required parameter: 'custom_id'."));
        else if (seen.contains(customId))
            fail(QStringLiteral("The custom_id '%1' is used more than once; custom_id must be unique.")
                     .arg(customId));
        else if (object.value(QLatin1String("method")).toString() != QLatin1String("POST"))
            fail(QStringLiteral("The method must be POST."));
        else if (object.value(QLatin1String("url")).toString() != batch.endpoint)
            fail(QStringLiteral("The url must match the batch's endpoint %1.").arg(batch.endpoint));
        else if (!object.value(QLatin1String("body")).isObject())
            fail(QStringLiteral("Missing required parameter: 'body'."));
        seen.insert(customId);
        batch.requests.append({customId, object.value(QLatin1String("body")).toObject()});
    }
    if (batch.requests.isEmpty())
        fail(QStringLiteral("The input file holds no requests."));
}

MockReply OpenAiBatchApi::pollBatch(const QString& id, const MockConfig& config) {
    const auto it = m_batches.find(id);
    if (it == m_batches.end())
        return error(404, QStringLiteral("No batch found with id '%1'.").arg(id));
    MockBatch& batch = *it;
    if (!batch.ended) {
        batch.advance(config);
        if (!batch.validationError.isEmpty() && batch.step >= 1) {
            batch.ended = true;
            batch.endedAt = nowSeconds();
            batch.finalStatus = QStringLiteral("failed");
        } else if (batch.cancelRequested || batch.step >= kFinalStep) {
            finish(batch, config);
        }
    }
    return jsonReply(batchJson(batch));
}

MockReply OpenAiBatchApi::cancelBatch(const QString& id, const MockConfig& /*config*/) {
    const auto it = m_batches.find(id);
    if (it == m_batches.end())
        return error(404, QStringLiteral("No batch found with id '%1'.").arg(id));
    if (it->ended)
        return error(400, QStringLiteral("Cannot cancel a batch with status '%1'.").arg(it->finalStatus));
    if (!it->cancelRequested)
        it->requestCancel(nowSeconds());
    return jsonReply(batchJson(*it));
}

void OpenAiBatchApi::finish(MockBatch& batch, const MockConfig& config) {
    QList<QByteArray> output;
    QList<QByteArray> errors;
    DeterministicRandom random(batch.seed);
    for (qsizetype i = 0; i < batch.requests.size(); ++i) {
        const MockBatchRequest& request = batch.requests.at(i);
        const QString lineId = newId("batch_req_", 32);
        JsonWriter json;
        json.beginObject().key("id").str(lineId).key("custom_id").str(request.customId);
        if (batch.cancelRequested && i >= batch.answeredBeforeCancel) {
            ++batch.canceled; // cancelled before it ran: in neither file
            continue;
        }
        if (config.batchExpireAfter >= 0 && i >= config.batchExpireAfter) {
            ++batch.expired;
            json.key("response").null().key("error").beginObject();
            json.key("code").str(QStringLiteral("batch_expired"));
            json.key("message").str(
                QStringLiteral("This request could not be executed before the completion window expired."));
            json.endObject().endObject();
            errors.append(json.data());
            continue;
        }
        BatchAnswerer::Result result;
        if (request.params.value(QLatin1String("stream")).toBool()) {
            result = {400,
                      m_protocol.error(400, QStringLiteral("Streaming is not supported in batches."), 0)
                          .body.trimmed(),
                      QStringLiteral("req_batch")};
        } else {
            result =
                BatchAnswerer::answer(m_protocol, request.params, request.customId, config, random.next());
        }
        json.key("response").beginObject().key("status_code").num(result.status);
        json.key("request_id").str(result.requestId).key("body").raw(result.body).endObject();
        json.key("error").null().endObject();
        if (result.status == 200) {
            ++batch.succeeded;
            output.append(json.data());
        } else {
            ++batch.errored;
            errors.append(json.data());
        }
    }
    random.shuffle(output);
    random.shuffle(errors);
    const QString base = batch.id;
    if (!output.isEmpty())
        batch.outputFileId = addFile(base + QStringLiteral("_output.jsonl"), QStringLiteral("batch_output"),
                                     output.join('\n') + '\n');
    if (!errors.isEmpty())
        batch.errorFileId = addFile(base + QStringLiteral("_error.jsonl"), QStringLiteral("batch_output"),
                                    errors.join('\n') + '\n');
    batch.ended = true;
    batch.endedAt = nowSeconds();
    batch.finalStatus = batch.cancelRequested          ? QStringLiteral("cancelled")
                        : config.batchExpireAfter >= 0 ? QStringLiteral("expired")
                                                       : QStringLiteral("completed");
}

QString OpenAiBatchApi::status(const MockBatch& batch) const {
    if (batch.ended)
        return batch.finalStatus;
    if (batch.cancelRequested)
        return QStringLiteral("cancelling");
    switch (batch.step) {
    case 0:
        return QStringLiteral("validating");
    case 1:
        return QStringLiteral("in_progress");
    default:
        return QStringLiteral("finalizing");
    }
}

QByteArray OpenAiBatchApi::batchJson(const MockBatch& batch) const {
    const QString state = status(batch);
    JsonWriter json;
    json.beginObject().key("id").str(batch.id).key("object").str(QStringLiteral("batch"));
    json.key("endpoint").str(batch.endpoint).key("errors");
    if (state == QLatin1String("failed")) {
        json.beginObject().key("object").str(QStringLiteral("list")).key("data").beginArray().beginObject();
        json.key("code").str(QStringLiteral("invalid_request")).key("message").str(batch.validationError);
        json.key("param").null().key("line").num(batch.validationLine).endObject().endArray().endObject();
    } else {
        json.null();
    }
    json.key("input_file_id").str(batch.inputFileId).key("completion_window").str(QStringLiteral("24h"));
    json.key("status").str(state);
    strOrNull(json.key("output_file_id"), batch.outputFileId);
    strOrNull(json.key("error_file_id"), batch.errorFileId);
    json.key("created_at").num(batch.createdAt);
    numOrNull(json.key("in_progress_at"), batch.step >= 1 ? batch.createdAt : 0);
    json.key("expires_at").num(batch.createdAt + 24 * 3600);
    numOrNull(json.key("finalizing_at"), batch.step >= 2 ? batch.createdAt : 0);
    numOrNull(json.key("completed_at"), state == QLatin1String("completed") ? batch.endedAt : 0);
    numOrNull(json.key("failed_at"), state == QLatin1String("failed") ? batch.endedAt : 0);
    numOrNull(json.key("expired_at"), state == QLatin1String("expired") ? batch.endedAt : 0);
    numOrNull(json.key("cancelling_at"), batch.cancelledAt);
    numOrNull(json.key("cancelled_at"), state == QLatin1String("cancelled") ? batch.endedAt : 0);
    json.key("request_counts").beginObject().key("total").num(batch.requests.size());
    json.key("completed").num(batch.succeeded).key("failed").num(batch.errored + batch.expired).endObject();
    json.key("metadata").raw(QJsonDocument(batch.metadata).toJson(QJsonDocument::Compact));
    json.endObject();
    return json.data();
}

MockReply OpenAiBatchApi::error(int status, const QString& message) const {
    const ErrorResponse response = m_protocol.error(status, message, 0);
    return {response.status, response.body, response.contentType, {}};
}

QString OpenAiBatchApi::newId(const char* prefix, int length) {
    DeterministicRandom random(0xB47C4ULL ^ (++m_sequence * 0x9E3779B97F4A7C15ULL));
    static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString id = QString::fromLatin1(prefix);
    for (int i = 0; i < length; ++i)
        id += QLatin1Char(kAlphabet[random.bounded(36)]);
    return id;
}

} // namespace parallax::mock
