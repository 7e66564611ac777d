#include "BatchItem.h"

namespace parallax {

QString BatchItem::stateName(State state) {
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Running:
        return QStringLiteral("running");
    case State::Done:
        return QStringLiteral("done");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

BatchItem::State BatchItem::stateFromName(const QString& name) {
    for (State state : {State::Pending, State::Running, State::Done, State::Failed, State::Cancelled}) {
        if (stateName(state) == name)
            return state;
    }
    return State::Pending;
}

} // namespace parallax
