#pragma once

#include "providers/ProviderProfile.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QStringList>

#include <optional>

namespace parallax {

/// Where each protocol lists its models and how to read the answer:
/// OpenAI and compatible servers `GET {base}/models` (`data[].id`);
/// Anthropic `GET {base}/v1/models` (`data[].id`, paged with `limit`/`after_id` while `has_more`);
/// Gemini `GET {base}/v1beta/models` (`models[].name` without its `models/` prefix, only models whose
/// `supportedGenerationMethods` include `generateContent`; paged with `pageSize`/`pageToken`);
/// Ollama `GET {base}/api/tags` (`models[].name`).
class ModelListEndpoint {
public:
    struct Page {
        QStringList models;
        QString next; ///< the cursor of the next page; empty on the last page
    };

    /// The request for one page, with the protocol's own auth headers. `cursor` is empty for the first
    /// page; `pageSize` applies where the protocol pages its list.
    static QNetworkRequest request(const ProviderProfile& profile, const QString& apiKey,
                                   const QString& cursor, int pageSize);

    /// One page of a 2xx answer; empty when the body is not this protocol's model list (a base URL that
    /// points at some other server).
    static std::optional<Page> parse(ProviderKind kind, const QByteArray& body);
};

} // namespace parallax
