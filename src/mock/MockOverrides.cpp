#include "MockOverrides.h"

#include <QRegularExpression>

namespace parallax::mock {

namespace {
std::optional<int> parseInt(const QString& text, int minimum, int maximum) {
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < minimum || value > maximum)
        return std::nullopt;
    return value;
}
} // namespace

std::optional<QString> MockOverrides::set(const QString& key, const QString& value) {
    const QString name = key.trimmed().toLower();
    const auto invalid = [&] {
        return QStringLiteral("parallax-mock: invalid value '%1' for %2").arg(value, key);
    };
    if (name == QLatin1String("fault")) {
        fault = parseFault(value);
        if (!fault)
            return QStringLiteral("parallax-mock: unknown fault '%1'").arg(value);
    } else if (name == QLatin1String("tokens")) {
        tokens = parseInt(value, 0, 1'000'000);
        if (!tokens)
            return invalid();
    } else if (name == QLatin1String("ttft") || name == QLatin1String("ttft_ms")) {
        ttftMs = parseInt(value, 0, 3'600'000);
        if (!ttftMs)
            return invalid();
    } else if (name == QLatin1String("tps")) {
        bool ok = false;
        const double tps = value.trimmed().toDouble(&ok);
        if (!ok || tps < 0)
            return invalid();
        tokensPerSecond = tps;
    } else if (name == QLatin1String("echo")) {
        const QString flag = value.trimmed().toLower();
        if (flag != QLatin1String("1") && flag != QLatin1String("true") && flag != QLatin1String("0") &&
            flag != QLatin1String("false"))
            return invalid();
        echo = flag == QLatin1String("1") || flag == QLatin1String("true");
    } else if (name == QLatin1String("retry_after")) {
        retryAfterSeconds = parseInt(value, 0, 86'400);
        if (!retryAfterSeconds)
            return invalid();
    } else {
        return QStringLiteral("parallax-mock: unknown directive '%1'").arg(key);
    }
    return std::nullopt;
}

std::optional<QString> MockOverrides::consumeDirectives(QString& text) {
    if (!text.contains(QLatin1String("[[mock:")))
        return std::nullopt;
    static const QRegularExpression directive(QStringLiteral("\\[\\[mock:([^\\]]*)\\]\\]"));
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    std::optional<QString> problem;
    auto it = directive.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QStringList settings = match.captured(1).split(separators, Qt::SkipEmptyParts);
        for (const QString& setting : settings) {
            const qsizetype equals = setting.indexOf(QLatin1Char('='));
            const auto error = equals > 0
                                   ? set(setting.left(equals), setting.mid(equals + 1))
                                   : QStringLiteral("parallax-mock: expected key=value in '%1'").arg(setting);
            if (error && !problem)
                problem = error;
        }
    }
    text.remove(directive);
    text = text.trimmed();
    return problem;
}

std::optional<QString> MockOverrides::readHeaders(const HttpRequest& request) {
    static const std::pair<const char*, const char*> kHeaders[] = {
        {"x-mock-fault", "fault"}, {"x-mock-tokens", "tokens"},           {"x-mock-ttft-ms", "ttft"},
        {"x-mock-tps", "tps"},     {"x-mock-retry-after", "retry_after"},
    };
    for (const auto& [header, key] : kHeaders) {
        if (!request.hasHeader(header))
            continue;
        if (auto error = set(QString::fromLatin1(key), QString::fromUtf8(request.header(header))))
            return error;
    }
    return std::nullopt;
}

} // namespace parallax::mock
