#pragma once

#include <QByteArray>

#include "HttpRequest.h"

namespace parallax::mock {

/// A whole (not streamed) response, for the endpoints that answer in one piece (the batch APIs).
struct MockReply {
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    HeaderList headers;
};

} // namespace parallax::mock
