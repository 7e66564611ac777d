#pragma once

#include <QString>

namespace parallax {

/// One row of a batch sent to one profile.
struct BatchItem {
    enum class State { Pending, Running, Done, Failed, Cancelled };

    qint64 id = 0;
    int rowIndex = 0;
    QString itemId; ///< the row's id from the input
    int profileIndex = 0;
    QString prompt;
    QString systemPrompt;
    State state = State::Pending;
    int attempts = 0;
    QString answerJson; ///< the finished answer (AnswerJson), empty until then

    static QString stateName(State state);
    static State stateFromName(const QString& name);
};

} // namespace parallax
