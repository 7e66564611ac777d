#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace parallax {

/// Fills `{{name}}` placeholders from a row's values (`{{ name }}` with spaces works too). A placeholder
/// without a value is an error for that row: a prompt with a hole in it is never sent.
class TemplateRenderer {
public:
    static std::optional<QString> render(const QString& templateText, const QHash<QString, QString>& values,
                                         QStringList* missing);
};

} // namespace parallax
