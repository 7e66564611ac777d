#pragma once

#include "batch/ProviderBatchClient.h"

namespace parallax {

/// OpenAI's Batch API (WIRE.md §8): the requests go up as a JSONL file (`POST /files`, purpose batch),
/// `POST /batches` creates the batch over `/v1/chat/completions`, `GET /batches/{id}` polls it, and the
/// output and error files (in no particular order) hold one line per request.
class OpenAiBatchClient : public ProviderBatchClient {
    Q_OBJECT
public:
    OpenAiBatchClient(QNetworkAccessManager* network, CompareTarget target, CallOptions options,
                      QObject* parent = nullptr);

    QJsonObject requestBody(const ChatRequest& request) const override;
    void submit(const QList<Request>& requests) override;
    void submitUploaded(const QString& inputFileId) override;
    void poll(const QString& remoteId) override;
    void downloadResults(const RemoteBatchStatus& status) override;
    void cancelBatch(const QString& remoteId) override;

    /// The JSONL input file for these requests.
    static QByteArray inputFile(const QList<Request>& requests);
    static RemoteBatchStatus parseStatus(const QJsonObject& batch);
    /// One line of an output or error file.
    static RemoteBatchResult parseResultLine(const QJsonObject& line);

private:
    void downloadFile(const QString& fileId, std::function<void(const QByteArray&)> then);
    void parseAndEmit(const QByteArray& output, const QByteArray& errors);
};

} // namespace parallax
