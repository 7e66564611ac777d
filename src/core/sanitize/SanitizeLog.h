#pragma once

#include <QLoggingCategory>

namespace parallax {
Q_DECLARE_LOGGING_CATEGORY(lcSanitize)
} // namespace parallax
