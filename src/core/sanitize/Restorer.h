#pragma once

#include "sanitize/Vault.h"

#include <QString>

namespace parallax {

/// Puts the real values back into an answer. For streams, push() each delta as it arrives and
/// show what it returns; a trailing fragment that could still become a placeholder ("[EMAIL_AD")
/// is held back until the next delta decides it, and finish() releases whatever is left.
/// Unknown placeholders (the model invented "[EMAIL_ADDRESS_9]") stay as they are.
class Restorer {
public:
    explicit Restorer(Vault vault);

    /// Text safe to display now, with known placeholders replaced.
    QString push(QStringView delta);
    /// The held-back rest, at the end of the stream.
    QString finish();
    /// Whole-text restore (a finished answer, history).
    static QString restore(QStringView text, const Vault& vault);

private:
    Vault m_vault;
    QString m_pending;
};

} // namespace parallax
