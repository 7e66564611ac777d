#pragma once

#include "engine/BudgetGuard.h"
#include "engine/CircuitBreaker.h"
#include "engine/PriceTable.h"
#include "engine/ResponseCache.h"
#include "engine/RetryPolicy.h"
#include "net/RateLimiter.h"
#include "store/AuditLog.h"
#include "store/Database.h"
#include "store/HistoryStore.h"
#include "store/Settings.h"
#include "store/SpendLedger.h"

#include <QDateTime>
#include <QObject>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace parallax {

/// The services every request goes through, shared by the CLI, the GUI and batches: database, history,
/// audit log, spend and budgets, prices, cache, rate limits, circuit breaker and retry policy, all
/// configured from the data folder's settings. Lives in one thread (the one that opened it).
class Engine : public QObject {
    Q_OBJECT
public:
    /// Opens (and creates) the data folder's database and settings.
    static std::unique_ptr<Engine> open(QNetworkAccessManager* network, const QString& dataDirectory,
                                        QString* error);
    ~Engine() override;

    QNetworkAccessManager* network() const { return m_network; }
    Database& database() { return *m_database; }
    Settings& settings() { return m_settings; }
    PriceTable& prices() { return m_prices; }
    ResponseCache& cache() { return *m_cache; }
    RateLimiter& rateLimiter() { return m_rateLimiter; }
    CircuitBreaker& circuitBreaker() { return m_breaker; }
    RetryPolicy& retryPolicy() { return m_retryPolicy; }
    BudgetGuard& budget() { return *m_budget; }
    AuditLog& audit() { return *m_audit; }
    SpendLedger& spend() { return *m_spend; }
    HistoryStore& history() { return *m_history; }

    /// Applies settings' "rate_limits" again after they changed while the engine runs; what providers'
    /// headers said about their limits is kept.
    void applyRateLimits();

    /// Fallback chain saved for a profile name in settings ("fallback": {"name": ["SPEC", ...]}).
    QStringList savedFallbackChain(const QString& profileName) const;

    /// Clock and randomness, replaceable so tests can be exact.
    std::function<QDateTime()> now = [] { return QDateTime::currentDateTimeUtc(); };
    std::function<double()> random;

private:
    Engine(QNetworkAccessManager* network, std::unique_ptr<Database> database, Settings settings);

    QNetworkAccessManager* m_network;
    std::unique_ptr<Database> m_database;
    Settings m_settings;
    PriceTable m_prices;
    std::unique_ptr<ResponseCache> m_cache;
    RateLimiter m_rateLimiter;
    CircuitBreaker m_breaker;
    RetryPolicy m_retryPolicy;
    std::unique_ptr<SpendLedger> m_spend;
    std::unique_ptr<BudgetGuard> m_budget;
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<HistoryStore> m_history;
};

} // namespace parallax
