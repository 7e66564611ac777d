#include "PriceTable.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace parallax {

namespace {

ModelPrice priceFromJson(const QString& model, const QJsonObject& entry) {
    ModelPrice price;
    price.model = model;
    price.inputPerMillion = entry.value(QLatin1String("input")).toDouble();
    price.outputPerMillion = entry.value(QLatin1String("output")).toDouble();
    const auto optionalPrice = [&entry](const char* key) -> std::optional<double> {
        const QJsonValue value = entry.value(QLatin1String(key));
        return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
    };
    price.cachedInputPerMillion = optionalPrice("cached_input");
    price.batchInputPerMillion = optionalPrice("batch_input");
    price.batchOutputPerMillion = optionalPrice("batch_output");
    price.source = entry.value(QLatin1String("source")).toString();
    price.date = entry.value(QLatin1String("date")).toString();
    return price;
}

bool isThisMachine(const QUrl& url) {
    const QString host = url.host();
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

PriceTable PriceTable::builtIn() {
    PriceTable table;
    QFile file(QStringLiteral(":/parallax/pricing.json"));
    if (!file.open(QIODevice::ReadOnly))
        return table;
    const QJsonArray models =
        QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("models")).toArray();
    for (const QJsonValue& value : models) {
        const QJsonObject entry = value.toObject();
        table.insert(priceFromJson(entry.value(QLatin1String("model")).toString(), entry));
    }
    return table;
}

void PriceTable::applyOverrides(const QJsonObject& prices) {
    for (auto it = prices.begin(); it != prices.end(); ++it) {
        QJsonObject entry = it.value().toObject();
        if (!entry.value(QLatin1String("input")).isDouble() ||
            !entry.value(QLatin1String("output")).isDouble())
            continue; // an override without both prices cannot price anything
        if (!entry.contains(QLatin1String("source")))
            entry.insert(QStringLiteral("source"), QStringLiteral("your settings"));
        insert(priceFromJson(it.key(), entry));
    }
}

std::optional<ModelPrice> PriceTable::find(const ProviderProfile& profile) const {
    if (auto exact = m_prices.constFind(profile.model); exact != m_prices.constEnd())
        return *exact;
    // Only a dated or versioned snapshot of a listed model shares its price: `gpt-4o-2024-08-06`,
    // `claude-sonnet-4-5-20250929`, `gpt-4o-latest`. `gpt-5-nano` is another model, not a gpt-5 snapshot.
    static const QRegularExpression snapshotSuffix(
        QStringLiteral("^-(\\d{8}|\\d{4}-\\d{2}-\\d{2}|latest|v\\d+(\\.\\d+)*)$"));
    const ModelPrice* best = nullptr;
    for (const ModelPrice& price : m_prices) {
        if (profile.model.startsWith(price.model + QLatin1Char('-')) &&
            snapshotSuffix.match(QStringView(profile.model).sliced(price.model.size())).hasMatch() &&
            (!best || price.model.size() > best->model.size()))
            best = &price;
    }
    if (best)
        return *best;
    if (profile.kind == ProviderKind::Ollama && isThisMachine(profile.baseUrl)) {
        ModelPrice local;
        local.model = profile.model;
        local.source = QStringLiteral("a local model costs nothing per token");
        return local;
    }
    return std::nullopt;
}

std::optional<double> PriceTable::cost(const ModelPrice& price, const Usage& usage) {
    if (!usage.inputTokens || !usage.outputTokens)
        return std::nullopt;
    const qint64 cached = qBound<qint64>(0, usage.cachedInputTokens.value_or(0), *usage.inputTokens);
    const double cachedPrice = price.cachedInputPerMillion.value_or(price.inputPerMillion);
    return (static_cast<double>(*usage.inputTokens - cached) * price.inputPerMillion +
            static_cast<double>(cached) * cachedPrice +
            static_cast<double>(*usage.outputTokens) * price.outputPerMillion) /
           1e6;
}

double PriceTable::upperBound(const ModelPrice& price, qint64 promptTokens, qint64 maxOutputTokens) {
    return (static_cast<double>(promptTokens) * price.inputPerMillion +
            static_cast<double>(maxOutputTokens) * price.outputPerMillion) /
           1e6;
}

} // namespace parallax
