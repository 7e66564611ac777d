#pragma once

#include "batch/BatchItem.h"
#include "providers/ProviderProfile.h"

#include <QList>

namespace parallax {

class PriceTable;

/// The most a batch's pending items could cost — every prompt token at the input price and every
/// allowed output token at the output price (the providers' batch prices for items sent through a
/// Batch API) — checked against a batch budget before anything is sent.
struct BatchCostEstimate {
    double worstCaseUsd = 0;
    bool unknownPrice = false; ///< some items' models have no known price: not counted

    /// `profiles` by profile index; `providerMode`: OpenAI and Anthropic items go through a Batch API.
    static BatchCostEstimate of(const QList<BatchItem>& pending, const QList<ProviderProfile>& profiles,
                                const PriceTable& prices, bool providerMode, qint64 maxOutputTokens);
};

} // namespace parallax
