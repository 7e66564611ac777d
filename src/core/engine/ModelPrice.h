#pragma once

#include <QString>

#include <optional>

namespace parallax {

/// Prices of one model in USD per million tokens, with where they come from.
struct ModelPrice {
    QString model;
    double inputPerMillion = 0;
    double outputPerMillion = 0;
    std::optional<double> cachedInputPerMillion; ///< empty: cached input is billed as input
    std::optional<double> batchInputPerMillion;
    std::optional<double> batchOutputPerMillion;
    QString source;
    QString date;
};

} // namespace parallax
