#include "UserRule.h"

#include "sanitize/EntityType.h"

#include <QRegularExpression>

namespace parallax {

std::optional<RegexError> UserRule::validatePattern(const QString& pattern) {
    if (pattern.isEmpty())
        return RegexError{QStringLiteral("the pattern is empty"), 0};
    const QRegularExpression re(pattern);
    if (!re.isValid())
        return RegexError{re.errorString(), re.patternErrorOffset()};
    if (re.match(QString()).hasMatch())
        return RegexError{QStringLiteral("the pattern matches the empty text"), 0};
    return std::nullopt;
}

std::optional<RegexError> UserRule::validate() const {
    if (!EntityType::isValidName(type))
        return RegexError{QStringLiteral("type '%1' must be upper-case letters, digits and '_'").arg(type),
                          -1};
    return validatePattern(pattern);
}

Rule UserRule::toRule() const {
    Rule rule;
    rule.name = name.isEmpty() ? type.toLower().replace(QLatin1Char('_'), QLatin1Char('-')) : name;
    rule.type = type;
    rule.pattern = pattern;
    rule.trigger = RuleTrigger::Always;
    rule.group = 0;
    rule.confidence = 0.9;
    rule.suggestion = suggestion;
    rule.multiLine = false;
    return rule;
}

} // namespace parallax
