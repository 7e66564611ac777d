#include "TemplateRenderer.h"

#include <QRegularExpression>

namespace parallax {

std::optional<QString> TemplateRenderer::render(const QString& templateText,
                                                const QHash<QString, QString>& values, QStringList* missing) {
    static const QRegularExpression placeholder(
        QStringLiteral("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*\\}\\}"));
    QString result;
    qsizetype last = 0;
    QStringList absent;
    for (auto it = placeholder.globalMatch(templateText); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        result += QStringView(templateText).sliced(last, match.capturedStart() - last);
        const QString name = match.captured(1);
        if (auto value = values.constFind(name); value != values.constEnd())
            result += *value;
        else if (!absent.contains(name))
            absent.append(name);
        last = match.capturedEnd();
    }
    result += QStringView(templateText).sliced(last);
    if (!absent.isEmpty()) {
        if (missing)
            *missing = absent;
        return std::nullopt;
    }
    return result;
}

} // namespace parallax
