#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace parallax {

/// User settings in `settings.json` in the data folder: plain JSON a user can read and edit. Never holds
/// a key. Unknown fields are kept when the file is written back, so a newer version's settings survive.
///
/// ```json
/// {"budget": {"daily_usd": 5, "monthly_usd": 50},
///  "cache": {"ttl_hours": 24, "max_entries": 2000},
///  "rate_limits": {"api.openai.com": {"requests_per_minute": 500, "tokens_per_minute": 200000}},
///  "prices": {"my-model": {"input": 1.0, "output": 2.0, "cached_input": 0.5}},
///  "retries": {"max_retries": 2, "max_retry_after_seconds": 60},
///  "circuit_breaker": {"failure_threshold": 5, "cooldown_seconds": 30},
///  "fallback": {"fast": ["anthropic:claude-haiku-4-5", "ollama:llama3.2"]}}
/// ```
class Settings {
public:
    /// Loads `path`; a missing file gives defaults, a broken one an error sentence.
    static std::optional<Settings> load(const QString& path, QString* error);
    /// Writes atomically (QSaveFile), so a crash never leaves half a file.
    bool save(QString* error) const;
    /// Reads the file again, so that a change about to be written goes on top of what was written since
    /// (by hand, or by parallax-cli while a window was open). A file that cannot be read leaves these
    /// settings as they were and returns false with a sentence: it must not be written over.
    bool reload(QString* error);

    const QJsonObject& json() const { return m_root; }
    QJsonObject section(const QString& name) const { return m_root.value(name).toObject(); }
    void setSection(const QString& name, const QJsonObject& value) { m_root.insert(name, value); }

    std::optional<double> dailyBudgetUsd() const;
    std::optional<double> monthlyBudgetUsd() const;
    /// An empty value (or 0) removes that limit.
    void setDailyBudgetUsd(std::optional<double> usd);
    void setMonthlyBudgetUsd(std::optional<double> usd);

private:
    void setBudgetValue(const QString& key, std::optional<double> usd);

    QString m_path;
    QJsonObject m_root;
};

} // namespace parallax
