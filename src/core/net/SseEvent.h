#pragma once

#include <QByteArray>

namespace parallax {

/// One dispatched server-sent event. Fields stay UTF-8 bytes; JSON parsing decodes them.
struct SseEvent {
    QByteArray type; ///< the `event:` field; empty means the default type "message"
    QByteArray data; ///< `data:` lines joined with "\n"
    QByteArray lastEventId;
};

} // namespace parallax
