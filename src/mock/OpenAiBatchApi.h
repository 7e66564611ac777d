#pragma once

#include <QHash>
#include <QString>

#include "HttpRequest.h"
#include "MockBatch.h"
#include "MockConfig.h"
#include "MockReply.h"

namespace parallax::mock {

class ProviderProtocol;

/// OpenAI's Files and Batch APIs from the server side: `POST /v1/files` (multipart upload, purpose
/// batch), `GET /v1/files/{id}` and `/content`, `POST /v1/batches`, `GET /v1/batches/{id}`,
/// `POST /v1/batches/{id}/cancel`. Output and error files list their lines in a shuffled order, as
/// the real service does not keep the input order either.
class OpenAiBatchApi {
public:
    explicit OpenAiBatchApi(const ProviderProtocol& protocol);

    static bool ownsPath(const QByteArray& path);
    MockReply handle(const HttpRequest& request, const MockConfig& config);

    /// `POST /v1/batches` calls that created a batch.
    int batchesCreated() const { return m_created; }

private:
    struct File {
        QString id;
        QString fileName;
        QString purpose;
        QByteArray data;
        qint64 createdAt = 0;
    };

    MockReply uploadFile(const HttpRequest& request);
    MockReply fileObject(const QString& id) const;
    MockReply fileContent(const QString& id) const;
    MockReply createBatch(const HttpRequest& request, const MockConfig& config);
    MockReply pollBatch(const QString& id, const MockConfig& config);
    MockReply cancelBatch(const QString& id, const MockConfig& config);
    void validate(MockBatch& batch, const QByteArray& input) const;
    void finish(MockBatch& batch, const MockConfig& config);
    QString addFile(const QString& fileName, const QString& purpose, const QByteArray& data);
    QString status(const MockBatch& batch) const;
    QByteArray batchJson(const MockBatch& batch) const;
    MockReply error(int status, const QString& message) const;
    QString newId(const char* prefix, int length);

    const ProviderProtocol& m_protocol;
    QHash<QString, File> m_files;
    QHash<QString, MockBatch> m_batches;
    int m_created = 0;
    quint64 m_sequence = 0;
};

} // namespace parallax::mock
