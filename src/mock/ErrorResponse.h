#pragma once

#include <QByteArray>

namespace parallax::mock {

/// An error response: status, body and the content type of the body.
struct ErrorResponse {
    int status = 500;
    QByteArray body;
    QByteArray contentType = "application/json";
};

} // namespace parallax::mock
