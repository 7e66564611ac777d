#pragma once

#include <QLoggingCategory>

namespace parallax::mock {
Q_DECLARE_LOGGING_CATEGORY(lcMock)
} // namespace parallax::mock
