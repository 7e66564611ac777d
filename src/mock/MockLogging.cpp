#include "MockLogging.h"

namespace parallax::mock {
// Quiet by default: tests and benchmarks run many requests. parallax-mock turns info on.
Q_LOGGING_CATEGORY(lcMock, "parallax.mock", QtWarningMsg)
} // namespace parallax::mock
