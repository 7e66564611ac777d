#pragma once

#include "providers/Answer.h"
#include "providers/ProviderProfile.h"

#include <QJsonObject>

namespace parallax {

/// Turns one whole answer from a batch's results (a `chat.completion` or an Anthropic `Message`) into
/// an Answer, through the provider's own response parser, which reads whole non-streamed bodies too:
/// the batch path and the streaming path cannot disagree about what an answer says.
class BatchResultParser {
public:
    static Answer parse(const ProviderProfile& profile, const QJsonObject& body);
};

} // namespace parallax
