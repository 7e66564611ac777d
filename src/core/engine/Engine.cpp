#include "Engine.h"

#include <QDir>
#include <QJsonArray>
#include <QRandomGenerator>

namespace parallax {

std::unique_ptr<Engine> Engine::open(QNetworkAccessManager* network, const QString& dataDirectory,
                                     QString* error) {
    if (!QDir().mkpath(dataDirectory)) {
        *error = QStringLiteral("cannot create the data folder %1").arg(dataDirectory);
        return nullptr;
    }
    const QDir dir(dataDirectory);
    auto settings = Settings::load(dir.absoluteFilePath(QStringLiteral("settings.json")), error);
    if (!settings)
        return nullptr;
    auto database = Database::open(dir.absoluteFilePath(QStringLiteral("parallax.db")), error);
    if (!database)
        return nullptr;
    return std::unique_ptr<Engine>(new Engine(network, std::move(database), std::move(*settings)));
}

Engine::Engine(QNetworkAccessManager* network, std::unique_ptr<Database> database, Settings settings)
    : m_network(network)
    , m_database(std::move(database))
    , m_settings(std::move(settings))
    , m_prices(PriceTable::builtIn()) {
    random = [] { return QRandomGenerator::global()->generateDouble(); };
    m_prices.applyOverrides(m_settings.section(QStringLiteral("prices")));
    m_cache = std::make_unique<ResponseCache>(
        m_database.get(), ResponseCache::limitsFromSettings(m_settings.section(QStringLiteral("cache"))));
    m_rateLimiter.configure(m_settings.section(QStringLiteral("rate_limits")));
    m_breaker = CircuitBreaker::fromSettings(m_settings.section(QStringLiteral("circuit_breaker")));
    m_retryPolicy = RetryPolicy::fromSettings(m_settings.section(QStringLiteral("retries")));
    m_spend = std::make_unique<SpendLedger>(*m_database);
    m_budget = std::make_unique<BudgetGuard>(m_spend.get(), m_settings.dailyBudgetUsd(),
                                             m_settings.monthlyBudgetUsd());
    m_audit = std::make_unique<AuditLog>(*m_database);
    m_history = std::make_unique<HistoryStore>(*m_database);
}

Engine::~Engine() = default;

void Engine::applyRateLimits() {
    m_rateLimiter.configure(m_settings.section(QStringLiteral("rate_limits")));
}

QStringList Engine::savedFallbackChain(const QString& profileName) const {
    QStringList chain;
    for (const QJsonValue& value :
         m_settings.section(QStringLiteral("fallback")).value(profileName).toArray())
        chain.append(value.toString());
    return chain;
}

} // namespace parallax
