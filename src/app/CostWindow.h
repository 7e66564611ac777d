#pragma once

#include "store/UsageReport.h"

#include <QFutureWatcher>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QPushButton;

namespace parallax {

/// Spend per profile per day (stacked bars, last 30 days) and latency per profile (median and 95th
/// percentile of time to first token and total time). The data is read on a worker thread with a
/// database connection of its own, so a long history never stalls the window; costs come only from the
/// usage providers reported, and answers of unknown cost are listed as unknown, never drawn as $0.
class CostWindow : public QWidget {
    Q_OBJECT
public:
    static constexpr int dayCount = 30;

    CostWindow(const QString& databasePath, QWidget* parent = nullptr);
    ~CostWindow() override;

    QChart* spendChart() const { return m_spendChart; }
    QChart* latencyChart() const { return m_latencyChart; }
    QLabel* summaryLabel() const { return m_summary; }
    QLabel* unknownCostLabel() const { return m_unknownCost; }
    const UsageReport& report() const { return m_report; }
    bool isLoading() const { return m_watcher.isRunning(); }

public slots:
    /// Reads the database again (in the background); `reportShown` follows.
    void reload();

signals:
    void reportShown();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void showReport(const UsageReport& report);
    void showSpend(const UsageReport& report);
    void showLatency(const UsageReport& report);
    void showUnknownCosts(const UsageReport& report);

    QString m_databasePath;
    QFutureWatcher<UsageReport> m_watcher;
    bool m_reloadAgain = false;
    UsageReport m_report;
    QChart* m_spendChart;
    QChart* m_latencyChart;
    QChartView* m_spendView;
    QChartView* m_latencyView;
    QLabel* m_summary;
    QLabel* m_unknownCost;
    QPushButton* m_refresh;
};

} // namespace parallax
