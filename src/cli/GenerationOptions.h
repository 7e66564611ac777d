#pragma once

#include "net/CallOptions.h"
#include "providers/ChatRequest.h"
#include "providers/ProviderProfile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace parallax::cli {

/// Everything `run` and `compare` were asked to do, validated.
struct GenerationOptions {
    bool compare = false;
    QList<ProviderProfile> profiles;
    QStringList fallbackSpecs;             ///< accepted; fallback chains arrive with the request engine
    std::optional<QString> synthesizeSpec; ///< accepted; synthesis arrives with the request engine
    bool json = false;
    bool noCache = false;
    bool noSanitize = false;
    ChatRequest request;
    CallOptions call;
};

} // namespace parallax::cli
