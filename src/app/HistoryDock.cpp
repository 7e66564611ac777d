#include "HistoryDock.h"

#include "app/HistoryModel.h"
#include "store/HistoryStore.h"

#include <QLineEdit>
#include <QListView>
#include <QVBoxLayout>

namespace parallax {

HistoryDock::HistoryDock(HistoryStore* store, QWidget* parent)
    : QDockWidget(tr("History"), parent)
    , m_store(store)
    , m_model(new HistoryModel(this)) {
    setObjectName(QStringLiteral("historyDock"));
    auto* panel = new QWidget(this);
    m_search = new QLineEdit(panel);
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setPlaceholderText(tr("Search prompts and answers"));
    m_search->setClearButtonEnabled(true);
    m_list = new QListView(panel);
    m_list->setObjectName(QStringLiteral("historyList"));
    m_list->setModel(m_model);
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    setWidget(panel);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(200);
    connect(&m_searchDelay, &QTimer::timeout, this, &HistoryDock::reload);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_list, &QListView::activated, this, [this](const QModelIndex& index) {
        emit reopenRequested(index.data(HistoryModel::RequestIdRole).toString());
    });
    reload();
}

void HistoryDock::reload() {
    if (m_store)
        m_model->setRuns(m_store->recent(limit, m_search->text().trimmed()));
}

} // namespace parallax
