#include "MockLogging.h"

namespace parallax::mock {
Q_LOGGING_CATEGORY(lcMock, "parallax.mock")
} // namespace parallax::mock
