#include "DiffController.h"

#include "app/AnswerColumn.h"

#include <QtConcurrent/QtConcurrentRun>

namespace parallax {

DiffController::DiffController(QObject* parent)
    : QObject(parent)
    , m_watcher(new QFutureWatcher<Result>(this)) {
    connect(m_watcher, &QFutureWatcher<Result>::finished, this, &DiffController::onFinished);
}

DiffController::~DiffController() {
    // The job only reads its own copies: it may finish unobserved (closing never waits for it), and the
    // watcher, our child, is disconnected first so no result reaches a half-destroyed object.
    m_watcher->disconnect(this);
}

void DiffController::setColumns(const QList<AnswerColumn*>& columns) {
    m_columns.clear();
    for (AnswerColumn* column : columns)
        m_columns.append(column);
    if (m_base >= m_columns.size()) {
        m_base = -1;
        emit baseChanged(m_base);
    }
    refresh();
}

void DiffController::setBase(int column) {
    const int base = column >= 0 && column < m_columns.size() ? column : -1;
    if (base == m_base)
        return;
    m_base = base;
    emit baseChanged(m_base);
    refresh();
}

bool DiffController::isBusy() const {
    return m_watcher->isRunning() || m_pending;
}

void DiffController::refresh() {
    ++m_generation;
    if (m_watcher->isRunning()) {
        m_pending = true; // started when the running job ends; its result is stale by then
        return;
    }
    start();
}

void DiffController::start() {
    m_pending = false;
    AnswerColumn* base = m_columns.value(m_base);
    if (!base) {
        for (const QPointer<AnswerColumn>& column : std::as_const(m_columns)) {
            if (column)
                column->clearDiff();
        }
        emit applied();
        return;
    }
    base->showAsDiffBase();
    Job job;
    job.generation = m_generation;
    job.base = base->text();
    for (int i = 0; i < m_columns.size(); ++i) {
        AnswerColumn* column = m_columns.at(i);
        if (!column || i == m_base)
            continue;
        if (!column->isFinished() || !base->isFinished()) {
            // Still streaming: Markdown until the words stop changing.
            column->clearDiff();
            continue;
        }
        job.columns.append(i);
        job.texts.append(column->text());
    }
    m_watcher->setFuture(QtConcurrent::run([job] {
        Result result;
        result.generation = job.generation;
        result.columns = job.columns;
        for (const QString& text : job.texts)
            result.diffs.append(WordDiff::compute(job.base, text));
        return result;
    }));
}

void DiffController::onFinished() {
    const Result result = m_watcher->result();
    if (m_pending || result.generation != m_generation) {
        start();
        return;
    }
    AnswerColumn* base = m_columns.value(m_base);
    if (!base)
        return;
    for (int i = 0; i < result.columns.size(); ++i) {
        if (AnswerColumn* column = m_columns.value(result.columns.at(i)))
            column->showDiff(result.diffs.at(i), base->profile().name());
    }
    emit applied();
}

} // namespace parallax
