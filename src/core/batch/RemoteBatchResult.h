#pragma once

#include "providers/ProviderError.h"

#include <QJsonObject>
#include <QString>

namespace parallax {

/// One line of a provider batch's results, matched to an item by its custom_id.
struct RemoteBatchResult {
    enum class Kind { Succeeded, Errored, Canceled, Expired };

    QString customId;
    Kind kind = Kind::Errored;
    QJsonObject body; ///< the chat.completion or Message of a succeeded request
    ProviderError error;
};

} // namespace parallax
