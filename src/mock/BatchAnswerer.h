#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "MockConfig.h"

namespace parallax::mock {

class ProviderProtocol;

/// Answers one request of a batch the way the protocol's non-streaming endpoint would: the same
/// deterministic words, the same [[mock:...]] directives. A fault directive in the prompt or in the
/// custom_id makes just that request fail, which is how tests get a partially failed batch.
class BatchAnswerer {
public:
    struct Result {
        int status = 200;
        QByteArray body; ///< the protocol's whole answer, or its error body when status is not 200
        QString requestId;
    };

    static Result answer(const ProviderProtocol& protocol, const QJsonObject& params, const QString& customId,
                         const MockConfig& config, quint64 random);
};

} // namespace parallax::mock
