#include "Settings.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace parallax {

std::optional<Settings> Settings::load(const QString& path, QString* error) {
    Settings settings;
    settings.m_path = path;
    QFile file(path);
    if (!file.exists())
        return settings;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("%1 is not a JSON object (at offset %2: %3); fix or remove it")
                     .arg(path)
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    settings.m_root = document.object();
    return settings;
}

bool Settings::save(QString* error) const {
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    file.write(QJsonDocument(m_root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

bool Settings::reload(QString* error) {
    std::optional<Settings> current = load(m_path, error);
    if (!current)
        return false;
    m_root = current->m_root;
    return true;
}

namespace {
std::optional<double> positiveNumber(const QJsonObject& object, QLatin1String key) {
    const QJsonValue value = object.value(key);
    if (!value.isDouble() || value.toDouble() <= 0)
        return std::nullopt;
    return value.toDouble();
}
} // namespace

std::optional<double> Settings::dailyBudgetUsd() const {
    return positiveNumber(section(QStringLiteral("budget")), QLatin1String("daily_usd"));
}

std::optional<double> Settings::monthlyBudgetUsd() const {
    return positiveNumber(section(QStringLiteral("budget")), QLatin1String("monthly_usd"));
}

void Settings::setDailyBudgetUsd(std::optional<double> usd) {
    setBudgetValue(QStringLiteral("daily_usd"), usd);
}

void Settings::setMonthlyBudgetUsd(std::optional<double> usd) {
    setBudgetValue(QStringLiteral("monthly_usd"), usd);
}

void Settings::setBudgetValue(const QString& key, std::optional<double> usd) {
    QJsonObject budget = section(QStringLiteral("budget"));
    if (usd && *usd > 0)
        budget.insert(key, *usd);
    else
        budget.remove(key);
    setSection(QStringLiteral("budget"), budget);
}

} // namespace parallax
