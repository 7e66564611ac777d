#include "TemplateRenderer.h"

#include <QRegularExpression>

namespace parallax {

namespace {
const QRegularExpression& placeholderPattern() {
    static const QRegularExpression placeholder(
        QStringLiteral("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*\\}\\}"));
    return placeholder;
}
} // namespace

QString TemplateRenderer::fillKnown(const QString& templateText, const QHash<QString, QString>& values,
                                    QStringList* missing) {
    if (missing)
        missing->clear();
    if (!templateText.contains(QLatin1String("{{")))
        return templateText; // the usual prompt: no regex pass over it
    QString result;
    qsizetype last = 0;
    QStringList absent;
    for (auto it = placeholderPattern().globalMatch(templateText); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        result += QStringView(templateText).sliced(last, match.capturedStart() - last);
        const QString name = match.captured(1);
        if (auto value = values.constFind(name); value != values.constEnd()) {
            result += *value;
        } else {
            result += match.capturedView();
            if (!absent.contains(name))
                absent.append(name);
        }
        last = match.capturedEnd();
    }
    if (last == 0)
        return templateText; // no placeholder after all: the same string, not a copy
    result += QStringView(templateText).sliced(last);
    if (missing)
        *missing = absent;
    return result;
}

std::optional<QString> TemplateRenderer::render(const QString& templateText,
                                                const QHash<QString, QString>& values, QStringList* missing) {
    QStringList absent;
    QString filled = fillKnown(templateText, values, &absent);
    if (!absent.isEmpty()) {
        if (missing)
            *missing = absent;
        return std::nullopt;
    }
    return filled;
}

QStringList TemplateRenderer::names(const QString& templateText) {
    QStringList found;
    if (!templateText.contains(QLatin1String("{{")))
        return found; // the usual prompt: no regex pass over it
    for (auto it = placeholderPattern().globalMatch(templateText); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (!found.contains(name))
            found.append(name);
    }
    return found;
}

} // namespace parallax
