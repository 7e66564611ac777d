#include "CostWindow.h"

#include "store/UsageReportReader.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QShowEvent>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent>

namespace parallax {

namespace {
QString dollars(double usd) {
    // Small amounts keep their significant digits: a cent's fraction is what a test prompt costs.
    return QStringLiteral("$%1").arg(usd, 0, 'f', usd != 0 && usd < 0.01 ? 4 : 2);
}

QString seconds(std::optional<double> ms) {
    return ms ? QStringLiteral("%1 s").arg(*ms / 1000.0, 0, 'f', 2) : QStringLiteral("–");
}

QString answers(int count) {
    return count == 1 ? CostWindow::tr("1 answer") : CostWindow::tr("%1 answers").arg(count);
}

QChartView* makeView(QChart* chart, QWidget* parent) {
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    return view;
}

void clearChart(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}
} // namespace

CostWindow::CostWindow(const QString& databasePath, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_databasePath(databasePath)
    , m_spendChart(new QChart)
    , m_latencyChart(new QChart) {
    setObjectName(QStringLiteral("costWindow"));
    setWindowTitle(tr("Cost and latency — Parallax"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("costSummary"));
    m_summary->setWordWrap(true);
    m_refresh = new QPushButton(tr("&Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("costRefreshButton"));
    m_refresh->setToolTip(tr("Read the spend ledger and the history again"));
    m_spendChart->setTitle(tr("Spend per profile and day (last %1 days)").arg(dayCount));
    m_latencyChart->setTitle(tr("Latency per profile (answers that succeeded, not from the cache)"));
    m_spendView = makeView(m_spendChart, this);
    m_spendView->setObjectName(QStringLiteral("spendChartView"));
    m_latencyView = makeView(m_latencyChart, this);
    m_latencyView->setObjectName(QStringLiteral("latencyChartView"));
    m_unknownCost = new QLabel(this);
    m_unknownCost->setObjectName(QStringLiteral("unknownCostLabel"));
    m_unknownCost->setWordWrap(true);

    auto* header = new QHBoxLayout;
    header->addWidget(m_summary, 1);
    header->addWidget(m_refresh);
    auto* charts = new QSplitter(Qt::Vertical, this);
    charts->setChildrenCollapsible(false);
    charts->addWidget(m_spendView);
    charts->addWidget(m_latencyView);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(charts, 1);
    layout->addWidget(m_unknownCost);
    resize(960, 720);

    connect(m_refresh, &QPushButton::clicked, this, &CostWindow::reload);
    connect(&m_watcher, &QFutureWatcher<UsageReport>::finished, this, [this] {
        showReport(m_watcher.result());
        if (m_reloadAgain) {
            m_reloadAgain = false;
            reload();
        }
    });
    m_summary->setText(tr("Reading the spend ledger…"));
}

CostWindow::~CostWindow() {
    // The worker holds only copies (a path and dates); it finishes on its own and its result is dropped.
    m_watcher.disconnect(this);
}

void CostWindow::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!event->spontaneous())
        reload();
}

void CostWindow::reload() {
    if (m_watcher.isRunning()) {
        m_reloadAgain = true; // the running read may predate what the caller wants to see
        return;
    }
    m_refresh->setEnabled(false);
    const QString path = m_databasePath;
    const QDate today = QDate::currentDate();
    m_watcher.setFuture(QtConcurrent::run(
        [path, today] { return UsageReportReader::readFile(path, today, CostWindow::dayCount); }));
}

void CostWindow::showReport(const UsageReport& report) {
    m_report = report;
    m_refresh->setEnabled(true);
    if (!report.error.isEmpty()) {
        m_summary->setText(tr("Cannot read the history: %1").arg(report.error));
    } else {
        m_summary->setText(tr("Last %1 days: %2 spent, from the usage the providers reported and the price "
                              "table.")
                               .arg(dayCount)
                               .arg(dollars(report.totalSpendUsd())));
    }
    showSpend(report);
    showLatency(report);
    showUnknownCosts(report);
    emit reportShown();
}

void CostWindow::showSpend(const UsageReport& report) {
    clearChart(m_spendChart);
    auto* series = new QStackedBarSeries;
    double highestDay = 0;
    QList<double> dayTotals(report.days.size(), 0.0);
    for (const QString& profile : report.profilesWithSpend()) {
        auto* set = new QBarSet(profile);
        const QList<double> values = report.spendUsd.value(profile);
        for (qsizetype i = 0; i < values.size(); ++i) {
            set->append(values.at(i));
            dayTotals[i] += values.at(i);
        }
        connect(set, &QBarSet::hovered, this, [this, profile](bool entered, int index) {
            if (!entered || index < 0 || index >= m_report.days.size()) {
                QToolTip::hideText();
                return;
            }
            const QDate day = m_report.days.at(index);
            QString text = tr("%1, %2: %3")
                               .arg(profile, QLocale().toString(day, QLocale::ShortFormat),
                                    dollars(m_report.spendOn(profile, day)));
            if (const int unknown = m_report.unknownCostOn(profile, day))
                text += tr("\n+ %1 of unknown cost").arg(answers(unknown));
            QToolTip::showText(QCursor::pos(), text);
        });
        series->append(set);
    }
    for (double total : dayTotals)
        highestDay = std::max(highestDay, total);
    m_spendChart->addSeries(series);

    // Thirty labels must fit under the bars: days of the month, the months in the axis title.
    auto* days = new QBarCategoryAxis;
    for (const QDate& day : report.days)
        days->append(QString::number(day.day()));
    if (!report.days.isEmpty())
        days->setTitleText(QStringLiteral("%1 – %2").arg(
            QLocale().toString(report.days.first(), QStringLiteral("d MMM")),
            QLocale().toString(report.days.last(), QStringLiteral("d MMM yyyy"))));
    m_spendChart->addAxis(days, Qt::AlignBottom);
    series->attachAxis(days);
    auto* usd = new QValueAxis;
    usd->setRange(0, highestDay > 0 ? highestDay * 1.1 : 1.0);
    usd->setLabelFormat(highestDay > 0 && highestDay < 0.1 ? QStringLiteral("$%.4f")
                                                           : QStringLiteral("$%.2f"));
    usd->applyNiceNumbers();
    m_spendChart->addAxis(usd, Qt::AlignLeft);
    series->attachAxis(usd);
    m_spendChart->legend()->setVisible(series->count() > 0);
}

void CostWindow::showLatency(const UsageReport& report) {
    clearChart(m_latencyChart);
    auto* series = new QBarSeries;
    const struct {
        QString name;
        std::optional<double> LatencySummary::*value;
    } measures[] = {
        {tr("first token, median"), &LatencySummary::ttftMedianMs},
        {tr("first token, p95"), &LatencySummary::ttftP95Ms},
        {tr("total, median"), &LatencySummary::totalMedianMs},
        {tr("total, p95"), &LatencySummary::totalP95Ms},
    };
    QStringList profiles;
    for (const QString& profile : report.profiles) {
        if (report.latency.contains(profile))
            profiles.append(profile);
    }
    double highest = 0;
    for (const auto& measure : measures) {
        auto* set = new QBarSet(measure.name);
        for (const QString& profile : profiles) {
            const std::optional<double> ms = report.latency.value(profile).*measure.value;
            set->append(ms.value_or(0) / 1000.0);
            highest = std::max(highest, ms.value_or(0) / 1000.0);
        }
        connect(set, &QBarSet::hovered, this, [this, profiles, measure](bool entered, int index) {
            if (!entered || index < 0 || index >= profiles.size()) {
                QToolTip::hideText();
                return;
            }
            const LatencySummary summary = m_report.latency.value(profiles.at(index));
            QToolTip::showText(QCursor::pos(),
                               tr("%1, %2: %3 (%4)")
                                   .arg(profiles.at(index), measure.name, seconds(summary.*measure.value),
                                        answers(summary.samples)));
        });
        series->append(set);
    }
    m_latencyChart->addSeries(series);
    auto* axis = new QBarCategoryAxis;
    axis->append(profiles);
    m_latencyChart->addAxis(axis, Qt::AlignBottom);
    series->attachAxis(axis);
    auto* secondsAxis = new QValueAxis;
    secondsAxis->setRange(0, highest > 0 ? highest * 1.1 : 1.0);
    secondsAxis->setLabelFormat(QStringLiteral("%.1f s"));
    secondsAxis->applyNiceNumbers();
    m_latencyChart->addAxis(secondsAxis, Qt::AlignLeft);
    series->attachAxis(secondsAxis);
    m_latencyChart->legend()->setVisible(!profiles.isEmpty());
}

void CostWindow::showUnknownCosts(const UsageReport& report) {
    const int unknown = report.totalUnknownCostAnswers();
    if (unknown == 0) {
        m_unknownCost->setText(tr("Every answer in this period has a known cost."));
        return;
    }
    QStringList parts;
    for (const QString& profile : report.profiles) {
        int count = 0;
        for (int value : report.unknownCostAnswers.value(profile))
            count += value;
        if (count > 0)
            parts.append(tr("%1: %2").arg(profile).arg(count));
    }
    m_unknownCost->setText(tr("Cost unknown for %1 — no price for the model, or no usage reported — not "
                              "counted above: %2. Add prices under \"prices\" in settings.json.")
                               .arg(answers(unknown), parts.join(QStringLiteral(", "))));
}

} // namespace parallax
