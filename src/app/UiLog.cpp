#include "UiLog.h"

Q_LOGGING_CATEGORY(lcUi, "parallax.ui", QtInfoMsg)
