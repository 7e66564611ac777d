#include "ModelListEndpoint.h"

#include "providers/ProviderRegistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace parallax {

namespace {

QString pathFor(ProviderKind kind) {
    switch (kind) {
    case ProviderKind::OpenAi:
    case ProviderKind::OpenAiCompatible:
        return QStringLiteral("/models"); // their base URLs already end in /v1
    case ProviderKind::Anthropic:
        return QStringLiteral("/v1/models");
    case ProviderKind::Gemini:
        return QStringLiteral("/v1beta/models");
    case ProviderKind::Ollama:
        return QStringLiteral("/api/tags");
    }
    return {};
}

QStringList stringsOf(const QJsonArray& entries, QLatin1String field) {
    QStringList names;
    for (const QJsonValue& entry : entries) {
        const QString name = entry.toObject().value(field).toString();
        if (!name.isEmpty())
            names.append(name);
    }
    return names;
}

} // namespace

QNetworkRequest ModelListEndpoint::request(const ProviderProfile& profile, const QString& apiKey,
                                           const QString& cursor, int pageSize) {
    // The chat request carries each protocol's auth and version headers; only the URL and Accept differ.
    QNetworkRequest request = ProviderRegistry::provider(profile.kind).buildRequest(profile, apiKey);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QVariant()); // a GET has no body
    request.setRawHeader("Accept", "application/json");

    QUrl url = profile.baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + pathFor(profile.kind));
    QUrlQuery query;
    if (profile.kind == ProviderKind::Anthropic) {
        query.addQueryItem(QStringLiteral("limit"), QString::number(pageSize));
        if (!cursor.isEmpty())
            query.addQueryItem(QStringLiteral("after_id"), cursor);
    } else if (profile.kind == ProviderKind::Gemini) {
        query.addQueryItem(QStringLiteral("pageSize"), QString::number(pageSize));
        if (!cursor.isEmpty())
            query.addQueryItem(QStringLiteral("pageToken"), cursor);
    }
    if (!query.isEmpty())
        url.setQuery(query);
    request.setUrl(url);
    return request;
}

std::optional<ModelListEndpoint::Page> ModelListEndpoint::parse(ProviderKind kind, const QByteArray& body) {
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject root = document.object();
    Page page;
    switch (kind) {
    case ProviderKind::OpenAi:
    case ProviderKind::OpenAiCompatible:
    case ProviderKind::Anthropic: {
        const QJsonValue data = root.value(QLatin1String("data"));
        if (!data.isArray())
            return std::nullopt;
        page.models = stringsOf(data.toArray(), QLatin1String("id"));
        if (kind == ProviderKind::Anthropic && root.value(QLatin1String("has_more")).toBool()) {
            page.next = root.value(QLatin1String("last_id")).toString();
            if (page.next.isEmpty() && !page.models.isEmpty())
                page.next = page.models.last();
        }
        return page;
    }
    case ProviderKind::Gemini: {
        const QJsonValue models = root.value(QLatin1String("models"));
        if (!models.isArray())
            return std::nullopt;
        for (const QJsonValue& entry : models.toArray()) {
            const QJsonObject model = entry.toObject();
            // Embedding and other models are listed too; only those that answer chats are of use.
            if (!model.value(QLatin1String("supportedGenerationMethods"))
                     .toArray()
                     .contains(QJsonValue(QStringLiteral("generateContent"))))
                continue;
            QString name = model.value(QLatin1String("name")).toString();
            if (name.startsWith(QLatin1String("models/")))
                name.remove(0, 7);
            if (!name.isEmpty())
                page.models.append(name);
        }
        page.next = root.value(QLatin1String("nextPageToken")).toString();
        return page;
    }
    case ProviderKind::Ollama: {
        const QJsonValue models = root.value(QLatin1String("models"));
        if (!models.isArray())
            return std::nullopt;
        page.models = stringsOf(models.toArray(), QLatin1String("name"));
        return page;
    }
    }
    return std::nullopt;
}

} // namespace parallax
