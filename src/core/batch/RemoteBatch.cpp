#include "RemoteBatch.h"

namespace parallax {

QString RemoteBatch::phaseName(Phase phase) {
    switch (phase) {
    case Phase::Submitting:
        return QStringLiteral("submitting");
    case Phase::Polling:
        return QStringLiteral("polling");
    case Phase::Merged:
        return QStringLiteral("merged");
    case Phase::Abandoned:
        return QStringLiteral("abandoned");
    }
    return {};
}

RemoteBatch::Phase RemoteBatch::phaseFromName(const QString& name) {
    for (Phase phase : {Phase::Submitting, Phase::Polling, Phase::Merged, Phase::Abandoned}) {
        if (phaseName(phase) == name)
            return phase;
    }
    return Phase::Abandoned;
}

} // namespace parallax
