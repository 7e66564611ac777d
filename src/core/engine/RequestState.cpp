#include "RequestState.h"

namespace parallax {

QString requestStateName(RequestState state) {
    switch (state) {
    case RequestState::Queued:
        return QStringLiteral("queued");
    case RequestState::Waiting:
        return QStringLiteral("waiting");
    case RequestState::Sending:
        return QStringLiteral("sending");
    case RequestState::Streaming:
        return QStringLiteral("streaming");
    case RequestState::Retrying:
        return QStringLiteral("retrying");
    case RequestState::Done:
        return QStringLiteral("done");
    case RequestState::Failed:
        return QStringLiteral("failed");
    case RequestState::Cached:
        return QStringLiteral("cached");
    case RequestState::FellBack:
        return QStringLiteral("fell back");
    }
    return {};
}

} // namespace parallax
