#pragma once

#include <QString>

namespace parallax {

/// One prompt of a batch as imported: the template already filled in.
struct BatchRow {
    int line = 0; ///< where the row starts in the input file (1-based), for messages
    QString id;   ///< the row's own id; output lines carry it
    QString prompt;
    QString system; ///< empty: the batch's default system prompt
};

/// A row that could not be imported, and why; the other rows are imported all the same.
struct ImportProblem {
    int line = 0;
    QString reason;
};

} // namespace parallax
