#pragma once

#include "batch/ProviderBatchClient.h"

namespace parallax {

/// Anthropic's Message Batches (WIRE.md §2.6): `POST /v1/messages/batches` with every request inline,
/// `GET /v1/messages/batches/{id}` until `processing_status` is `ended`, then the results JSONL (in no
/// particular order; succeeded, errored, canceled or expired per request).
class AnthropicBatchClient : public ProviderBatchClient {
    Q_OBJECT
public:
    AnthropicBatchClient(QNetworkAccessManager* network, CompareTarget target, CallOptions options,
                         QObject* parent = nullptr);

    QJsonObject requestBody(const ChatRequest& request) const override;
    void submit(const QList<Request>& requests) override;
    void poll(const QString& remoteId) override;
    void downloadResults(const RemoteBatchStatus& status) override;
    void cancelBatch(const QString& remoteId) override;

    static RemoteBatchStatus parseStatus(const QJsonObject& batch);
    static RemoteBatchResult parseResultLine(const QJsonObject& line);
};

} // namespace parallax
