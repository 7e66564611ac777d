#include "OpenAiBatchClient.h"

#include "providers/ErrorBodyParser.h"
#include "providers/ProviderRegistry.h"

#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonDocument>

namespace parallax {

namespace {
const QString kEndpoint = QStringLiteral("/v1/chat/completions");

QByteArray compact(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
} // namespace

OpenAiBatchClient::OpenAiBatchClient(QNetworkAccessManager* network, CompareTarget target,
                                     CallOptions options, QObject* parent)
    : ProviderBatchClient(network, std::move(target), options, parent) {}

QJsonObject OpenAiBatchClient::requestBody(const ChatRequest& request) const {
    QJsonObject body =
        QJsonDocument::fromJson(
            ProviderRegistry::provider(ProviderKind::OpenAi).buildBody(target().profile, request))
            .object();
    // The Batch API answers each request whole; a streaming body is refused.
    body.remove(QStringLiteral("stream"));
    body.remove(QStringLiteral("stream_options"));
    return body;
}

QByteArray OpenAiBatchClient::inputFile(const QList<Request>& requests) {
    QByteArray jsonl;
    for (const auto& [customId, body] : requests) {
        jsonl += compact(
            QJsonObject{{"custom_id", customId}, {"method", "POST"}, {"url", kEndpoint}, {"body", body}});
        jsonl += '\n';
    }
    return jsonl;
}

void OpenAiBatchClient::submit(const QList<Request>& requests) {
    auto* multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart purpose;
    purpose.setHeader(QNetworkRequest::ContentDispositionHeader,
                      QByteArrayLiteral("form-data; name=\"purpose\""));
    purpose.setBody(QByteArrayLiteral("batch"));
    QHttpPart file;
    file.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QByteArrayLiteral("form-data; name=\"file\"; filename=\"parallax-batch.jsonl\""));
    file.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/jsonl"));
    file.setBody(inputFile(requests));
    multipart->append(purpose);
    multipart->append(file);
    sendMultipart(request(QStringLiteral("/files")), multipart, [this](const QByteArray& body) {
        const QString fileId = QJsonDocument::fromJson(body).object().value(QLatin1String("id")).toString();
        if (fileId.isEmpty()) {
            failMalformed(QStringLiteral("the file upload answered without a file id"));
            return;
        }
        emit inputUploaded(fileId);
        submitUploaded(fileId);
    });
}

void OpenAiBatchClient::submitUploaded(const QString& inputFileId) {
    const QJsonObject create{{"input_file_id", inputFileId},
                             {"endpoint", kEndpoint},
                             {"completion_window", "24h"},
                             {"metadata", QJsonObject{{"source", "parallax"}}}};
    send(request(QStringLiteral("/batches")), "POST", compact(create), [this](const QByteArray& body) {
        const RemoteBatchStatus status = parseStatus(QJsonDocument::fromJson(body).object());
        if (status.remoteId.isEmpty()) {
            failMalformed(QStringLiteral("creating the batch answered without a batch id"));
            return;
        }
        emit submitted(status);
    });
}

void OpenAiBatchClient::poll(const QString& remoteId) {
    send(request(QStringLiteral("/batches/") + remoteId), "GET", {}, [this](const QByteArray& body) {
        const RemoteBatchStatus status = parseStatus(QJsonDocument::fromJson(body).object());
        if (status.status.isEmpty()) {
            failMalformed(QStringLiteral("the batch status could not be read"));
            return;
        }
        emit polled(status);
    });
}

void OpenAiBatchClient::cancelBatch(const QString& remoteId) {
    send(
        request(QStringLiteral("/batches/%1/cancel").arg(remoteId)), "POST", "{}",
        [this](const QByteArray& body) { emit polled(parseStatus(QJsonDocument::fromJson(body).object())); });
}

void OpenAiBatchClient::downloadResults(const RemoteBatchStatus& status) {
    // The output file first, then the error file; either may be missing.
    const QString errorFileId = status.errorFileId;
    downloadFile(status.outputFileId, [this, errorFileId](const QByteArray& output) {
        downloadFile(errorFileId, [this, output](const QByteArray& errors) { parseAndEmit(output, errors); });
    });
}

void OpenAiBatchClient::downloadFile(const QString& fileId, std::function<void(const QByteArray&)> then) {
    if (fileId.isEmpty()) {
        then({});
        return;
    }
    send(request(QStringLiteral("/files/%1/content").arg(fileId)), "GET", {},
         [then = std::move(then)](const QByteArray& body) { then(body); });
}

void OpenAiBatchClient::parseAndEmit(const QByteArray& output, const QByteArray& errors) {
    QList<RemoteBatchResult> results;
    for (const QByteArray& file : {output, errors}) {
        if (!parseResultLines(file, &OpenAiBatchClient::parseResultLine, results))
            return;
    }
    emit resultsDownloaded(results);
}

RemoteBatchStatus OpenAiBatchClient::parseStatus(const QJsonObject& batch) {
    RemoteBatchStatus status;
    status.remoteId = batch.value(QLatin1String("id")).toString();
    status.status = batch.value(QLatin1String("status")).toString();
    static const QStringList kEnded{QStringLiteral("completed"), QStringLiteral("failed"),
                                    QStringLiteral("expired"), QStringLiteral("cancelled")};
    status.ended = kEnded.contains(status.status);
    const QJsonObject counts = batch.value(QLatin1String("request_counts")).toObject();
    status.total = counts.value(QLatin1String("total")).toInt();
    status.succeeded = counts.value(QLatin1String("completed")).toInt();
    status.failed = counts.value(QLatin1String("failed")).toInt();
    status.outputFileId = batch.value(QLatin1String("output_file_id")).toString();
    status.errorFileId = batch.value(QLatin1String("error_file_id")).toString();
    QStringList messages;
    for (const QJsonValue& value :
         batch.value(QLatin1String("errors")).toObject().value(QLatin1String("data")).toArray()) {
        const QJsonObject error = value.toObject();
        const QString message = error.value(QLatin1String("message")).toString();
        messages.append(
            error.value(QLatin1String("line")).isDouble()
                ? QStringLiteral("line %1: %2").arg(error.value(QLatin1String("line")).toInt()).arg(message)
                : message);
    }
    status.message = messages.join(QStringLiteral("; "));
    return status;
}

RemoteBatchResult OpenAiBatchClient::parseResultLine(const QJsonObject& line) {
    RemoteBatchResult result;
    result.customId = line.value(QLatin1String("custom_id")).toString();
    const QJsonObject response = line.value(QLatin1String("response")).toObject();
    if (!response.isEmpty()) {
        const int statusCode = response.value(QLatin1String("status_code")).toInt();
        const QJsonObject body = response.value(QLatin1String("body")).toObject();
        if (statusCode >= 200 && statusCode < 300) {
            result.kind = RemoteBatchResult::Kind::Succeeded;
            result.body = body;
            return result;
        }
        result.kind = RemoteBatchResult::Kind::Errored;
        result.error = ErrorBodyParser::fromHttpResponse(statusCode, compact(body));
        return result;
    }
    const QJsonObject error = line.value(QLatin1String("error")).toObject();
    const QString code = error.value(QLatin1String("code")).toString();
    result.kind = code == QLatin1String("batch_expired")     ? RemoteBatchResult::Kind::Expired
                  : code == QLatin1String("batch_cancelled") ? RemoteBatchResult::Kind::Canceled
                                                             : RemoteBatchResult::Kind::Errored;
    result.error.type = ErrorType::Server;
    result.error.providerCode = code;
    result.error.message = error.value(QLatin1String("message")).toString();
    if (result.error.message.isEmpty())
        result.error.message = QStringLiteral("the provider reported no result for this request");
    return result;
}

} // namespace parallax
