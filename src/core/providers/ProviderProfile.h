#pragma once

#include "providers/ProviderKind.h"

#include <QString>
#include <QUrl>

namespace parallax {

/// A provider, a model and where to reach it. Parameters such as temperature travel in the ChatRequest.
struct ProviderProfile {
    QString name; ///< what the user calls it: a saved profile's name, or the SPEC it came from
    ProviderKind kind = ProviderKind::OpenAi;
    QString model;
    QUrl baseUrl;
};

} // namespace parallax
