#pragma once

#include <QString>

namespace parallax {

/// Where one request stands, as the GUI's column header and the CLI's progress show it.
enum class RequestState {
    Queued,    ///< not started yet
    Waiting,   ///< holding for rate-limit capacity (not a failure)
    Sending,   ///< request sent, no answer text yet
    Streaming, ///< answer text arriving
    Retrying,  ///< waiting before trying the same profile again
    Done,
    Failed,
    Cached,   ///< served from the response cache
    FellBack, ///< answered by a profile further down the fallback chain
};

QString requestStateName(RequestState state);

} // namespace parallax
