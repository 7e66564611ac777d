#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace parallax {

/// Fills `{{name}}` placeholders with values (`{{ name }}` with spaces works too): a batch row's
/// columns, or the variables the window's prompt uses. Names are letters, digits, `_`, `.` and `-`,
/// starting with a letter or `_`.
class TemplateRenderer {
public:
    /// The filled text; nullopt when a placeholder has no value, whose names go to `missing`: a prompt
    /// with a hole in it is never sent.
    static std::optional<QString> render(const QString& templateText, const QHash<QString, QString>& values,
                                         QStringList* missing);
    /// The text with every placeholder that has a value filled and the others left as written (what a
    /// preview shows while the user is still filling them in); their names go to `missing`.
    static QString fillKnown(const QString& templateText, const QHash<QString, QString>& values,
                             QStringList* missing);
    /// The names the text uses, each once, in the order they first appear.
    static QStringList names(const QString& templateText);
};

} // namespace parallax
