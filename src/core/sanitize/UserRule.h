#pragma once

#include "sanitize/Rule.h"

#include <QString>

#include <optional>

namespace parallax {

/// Where and why a user's regex does not compile: QRegularExpression's message and the offset
/// (in UTF-16 units of the pattern) the editor should point at.
struct RegexError {
    QString message;
    qsizetype offset = -1;
};

/// A rule the user adds in the settings: a regex and the type its matches get.
struct UserRule {
    QString name;    ///< shown as `rule`; defaults to the lower-cased type
    QString type;    ///< e.g. "EMPLOYEE_ID"; see EntityType::isValidName
    QString pattern; ///< PCRE2 syntax; the whole match is the value
    bool suggestion = false;

    /// Checks a pattern before it is saved. A pattern that matches the empty string is refused
    /// too: it would "find" a value at every position.
    static std::optional<RegexError> validatePattern(const QString& pattern);
    /// Also checks the type name.
    std::optional<RegexError> validate() const;
    Rule toRule() const;
};

} // namespace parallax
