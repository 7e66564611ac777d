#pragma once

#include <QHash>
#include <QString>

#include "HttpRequest.h"
#include "MockBatch.h"
#include "MockConfig.h"
#include "MockReply.h"

namespace parallax::mock {

class ProviderProtocol;

/// Anthropic's Message Batches from the server side: `POST /v1/messages/batches`,
/// `GET /v1/messages/batches/{id}`, `GET .../{id}/results` (JSONL in a shuffled order; result types
/// succeeded, errored, canceled and expired) and `POST .../{id}/cancel`.
class AnthropicBatchApi {
public:
    explicit AnthropicBatchApi(const ProviderProtocol& protocol);

    static bool ownsPath(const QByteArray& path);
    MockReply handle(const HttpRequest& request, const MockConfig& config);

    /// `POST /v1/messages/batches` calls that created a batch.
    int batchesCreated() const { return m_created; }

private:
    MockReply createBatch(const HttpRequest& request, const MockConfig& config);
    MockReply pollBatch(const QString& id, const HttpRequest& request, const MockConfig& config);
    MockReply results(const QString& id) const;
    MockReply cancelBatch(const QString& id, const HttpRequest& request);
    void finish(MockBatch& batch, const MockConfig& config);
    QByteArray batchJson(const MockBatch& batch, const HttpRequest& request) const;
    MockReply error(int status, const QString& message) const;

    const ProviderProtocol& m_protocol;
    QHash<QString, MockBatch> m_batches;
    int m_created = 0;
};

} // namespace parallax::mock
