#pragma once

#include "sanitize/Rule.h"

#include <QList>

namespace parallax {

/// The shipped rule table. Patterns are quoted from Presidio and gitleaks (see
/// ../shared/design/SANITIZE.md) and adapted to PCRE2; validators do the real work.
class BuiltinRules {
public:
    static const QList<Rule>& all();
};

} // namespace parallax
