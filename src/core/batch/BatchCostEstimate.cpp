#include "BatchCostEstimate.h"

#include "batch/ProviderBatchClient.h"
#include "engine/PriceTable.h"

namespace parallax {

BatchCostEstimate BatchCostEstimate::of(const QList<BatchItem>& pending,
                                        const QList<ProviderProfile>& profiles, const PriceTable& prices,
                                        bool providerMode, qint64 maxOutputTokens) {
    BatchCostEstimate estimate;
    for (const BatchItem& item : pending) {
        const ProviderProfile profile = profiles.value(item.profileIndex);
        std::optional<ModelPrice> price = prices.find(profile);
        if (!price) {
            estimate.unknownPrice = true;
            continue;
        }
        if (providerMode && ProviderBatchClient::supports(profile.kind) && price->batchInputPerMillion &&
            price->batchOutputPerMillion) {
            price->inputPerMillion = *price->batchInputPerMillion;
            price->outputPerMillion = *price->batchOutputPerMillion;
        }
        // Two bytes per token overestimates every tokenizer we know: the bound stays an upper bound.
        const qint64 promptTokens =
            (item.prompt.toUtf8().size() + item.systemPrompt.toUtf8().size()) / 2 + 16;
        estimate.worstCaseUsd += PriceTable::upperBound(*price, promptTokens, maxOutputTokens);
    }
    return estimate;
}

} // namespace parallax
