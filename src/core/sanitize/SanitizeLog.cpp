#include "SanitizeLog.h"

namespace parallax {
// Never log detected values: the category exists for rule compilation problems and timings only.
Q_LOGGING_CATEGORY(lcSanitize, "parallax.sanitize", QtWarningMsg)
} // namespace parallax
