#pragma once

#include "engine/ModelPrice.h"
#include "providers/ProviderProfile.h"
#include "providers/Usage.h"

#include <QHash>
#include <QJsonObject>

#include <optional>

namespace parallax {

/// Model prices: the table shipped in resources/pricing.json, overridden by the user's settings.
/// A model that is not in the table has no price, and its cost stays unknown.
class PriceTable {
public:
    /// The shipped table.
    static PriceTable builtIn();

    /// Settings' "prices": {"model-name": {"input": 1.0, "output": 2.0, "cached_input": 0.5}}.
    void applyOverrides(const QJsonObject& prices);

    /// The price for a profile: the exact model, else the listed model it is a dated snapshot of
    /// (`gpt-4o-2024-08-06` → `gpt-4o`; `gpt-5-nano` is not gpt-5). Ollama on this machine is free.
    std::optional<ModelPrice> find(const ProviderProfile& profile) const;

    /// Cost of what the provider reported: uncached input, cached input at its own price, output
    /// (reasoning included) at the output price. Empty when the input or output count is unknown.
    static std::optional<double> cost(const ModelPrice& price, const Usage& usage);

    /// The most a request can cost: every prompt token at the input price and every allowed output token.
    static double upperBound(const ModelPrice& price, qint64 promptTokens, qint64 maxOutputTokens);

    void insert(const ModelPrice& price) { m_prices.insert(price.model, price); }

private:
    QHash<QString, ModelPrice> m_prices;
};

} // namespace parallax
