// The mock's OpenAI Batch API and Anthropic Message Batches, tested from the outside with raw
// QNetworkAccessManager requests (never the client's batch code): upload, create, the status steps,
// shuffled results, per-request faults, expiry, cancel and validation.
#include "mock/MockServer.h"

#include <QHttpMultiPart>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QtTest>

using namespace parallax::mock;

namespace {

constexpr int kTimeoutMs = 30'000;

struct Reply {
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QList<QJsonObject> jsonLines(const QByteArray& body) {
    QList<QJsonObject> lines;
    for (const QByteArray& line : body.split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

MockConfig fastConfig() {
    MockConfig config;
    config.ttftMs = 0;
    config.tokensPerSecond = 0;
    config.answerTokens = 6;
    return config;
}

QByteArray openAiLine(const QString& customId, const QString& prompt, bool stream = false) {
    QJsonObject body{{"model", "gpt-4o-mini"},
                     {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", prompt}}}},
                     {"max_completion_tokens", 100}};
    if (stream)
        body.insert("stream", true);
    return QJsonDocument(QJsonObject{{"custom_id", customId},
                                     {"method", "POST"},
                                     {"url", "/v1/chat/completions"},
                                     {"body", body}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

QJsonObject anthropicRequest(const QString& customId, const QString& prompt, bool stream = false) {
    QJsonObject params{{"model", "claude-haiku-4-5"},
                       {"max_tokens", 100},
                       {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", prompt}}}}};
    if (stream)
        params.insert("stream", true);
    return QJsonObject{{"custom_id", customId}, {"params", params}};
}

} // namespace

class TestMockBatches : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;

    Reply wait(QNetworkReply* reply) {
        Reply result;
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, kTimeoutMs)) {
            reply->abort();
            reply->deleteLater();
            return result;
        }
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        reply->deleteLater();
        return result;
    }

    Reply send(const QByteArray& method, const QString& url, const QByteArray& body = {},
               bool anthropic = false) {
        QNetworkRequest request{QUrl(url)};
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (anthropic)
            request.setRawHeader("anthropic-version", "2023-06-01");
        return wait(m_nam.sendCustomRequest(request, method, body));
    }

    Reply upload(const MockServer& server, const QByteArray& jsonl, const QByteArray& purpose = "batch",
                 const QString& fileName = QStringLiteral("input.jsonl")) {
        auto* multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
        QHttpPart purposePart;
        purposePart.setHeader(QNetworkRequest::ContentDispositionHeader, "form-data; name=\"purpose\"");
        purposePart.setBody(purpose);
        QHttpPart filePart;
        filePart.setHeader(QNetworkRequest::ContentDispositionHeader,
                           QStringLiteral("form-data; name=\"file\"; filename=\"%1\"").arg(fileName));
        filePart.setHeader(QNetworkRequest::ContentTypeHeader, "application/jsonl");
        filePart.setBody(jsonl);
        multipart->append(purposePart);
        multipart->append(filePart);
        QNetworkRequest request{QUrl(server.baseUrl() + "/v1/files")};
        QNetworkReply* reply = m_nam.post(request, multipart);
        multipart->setParent(reply);
        return wait(reply);
    }

    QString createOpenAiBatch(const MockServer& server, const QByteArray& jsonl) {
        const Reply file = upload(server, jsonl);
        if (file.status != 200)
            return {};
        const QJsonObject create{{"input_file_id", file.json().value("id")},
                                 {"endpoint", "/v1/chat/completions"},
                                 {"completion_window", "24h"}};
        const Reply batch = send("POST", server.baseUrl() + "/v1/batches",
                                 QJsonDocument(create).toJson(QJsonDocument::Compact));
        return batch.json().value("status") == QLatin1String("validating")
                   ? batch.json().value("id").toString()
                   : QString();
    }

private slots:
    void openAiFlowWithShuffledOutputAndAPartialFailure() {
        MockServer server(fastConfig());
        QVERIFY(server.listen());
        QByteArray jsonl;
        for (int i = 0; i < 12; ++i)
            jsonl += openAiLine(QStringLiteral("req-%1").arg(i), QStringLiteral("Question %1").arg(i));
        jsonl += openAiLine("req-fault", "This one fails [[mock:fault=500]]");
        jsonl += openAiLine("req-id-fault[[mock:fault=429]]", "The id carries the fault");

        const Reply file = upload(server, jsonl);
        QCOMPARE(file.status, 200);
        QCOMPARE(file.json().value("object").toString(), QStringLiteral("file"));
        QCOMPARE(file.json().value("purpose").toString(), QStringLiteral("batch"));
        QCOMPARE(file.json().value("bytes").toInt(), jsonl.size());
        const QString fileId = file.json().value("id").toString();
        QVERIFY(fileId.startsWith("file-"));
        QCOMPARE(send("GET", server.baseUrl() + "/v1/files/" + fileId + "/content").body, jsonl);

        const QJsonObject create{
            {"input_file_id", fileId}, {"endpoint", "/v1/chat/completions"}, {"completion_window", "24h"}};
        const Reply created = send("POST", server.baseUrl() + "/v1/batches",
                                   QJsonDocument(create).toJson(QJsonDocument::Compact));
        QCOMPARE(created.status, 200);
        QCOMPARE(created.json().value("object").toString(), QStringLiteral("batch"));
        QCOMPARE(created.json().value("status").toString(), QStringLiteral("validating"));
        QVERIFY(created.json().value("output_file_id").isNull());
        QCOMPARE(server.openAiBatchesCreated(), 1);
        QCOMPARE(server.requestCount(), 0); // batch calls are not generation requests
        const QString url = server.baseUrl() + "/v1/batches/" + created.json().value("id").toString();

        QStringList statuses;
        QJsonObject batch;
        for (int poll = 0; poll < 3; ++poll) {
            batch = send("GET", url).json();
            statuses.append(batch.value("status").toString());
        }
        QCOMPARE(statuses, (QStringList{"in_progress", "finalizing", "completed"}));
        const QJsonObject counts = batch.value("request_counts").toObject();
        QCOMPARE(counts.value("total").toInt(), 14);
        QCOMPARE(counts.value("completed").toInt(), 12);
        QCOMPARE(counts.value("failed").toInt(), 2);

        const QList<QJsonObject> output =
            jsonLines(send("GET", server.baseUrl() + "/v1/files/" + batch.value("output_file_id").toString() +
                                      "/content")
                          .body);
        QCOMPARE(output.size(), 12);
        QStringList order;
        for (const QJsonObject& line : output) {
            order.append(line.value("custom_id").toString());
            QVERIFY(line.value("id").toString().startsWith("batch_req_"));
            QVERIFY(line.value("error").isNull());
            const QJsonObject response = line.value("response").toObject();
            QCOMPARE(response.value("status_code").toInt(), 200);
            const QJsonObject body = response.value("body").toObject();
            QCOMPARE(body.value("object").toString(), QStringLiteral("chat.completion"));
            QCOMPARE(body.value("choices")
                         .toArray()
                         .at(0)
                         .toObject()
                         .value("message")
                         .toObject()
                         .value("content")
                         .toString()
                         .split(' ')
                         .size(),
                     6);
            QCOMPARE(body.value("usage").toObject().value("completion_tokens").toInt(), 6);
        }
        QStringList inputOrder;
        for (int i = 0; i < 12; ++i)
            inputOrder.append(QStringLiteral("req-%1").arg(i));
        QVERIFY2(order != inputOrder, "the output must not come back in input order");
        order.sort();
        inputOrder.sort();
        QCOMPARE(order, inputOrder);

        const QList<QJsonObject> errors =
            jsonLines(send("GET", server.baseUrl() + "/v1/files/" + batch.value("error_file_id").toString() +
                                      "/content")
                          .body);
        QCOMPARE(errors.size(), 2);
        QHash<QString, int> statusById;
        for (const QJsonObject& line : errors) {
            const QJsonObject response = line.value("response").toObject();
            statusById.insert(line.value("custom_id").toString(), response.value("status_code").toInt());
            QVERIFY(response.value("body").toObject().value("error").toObject().contains("message"));
        }
        QCOMPARE(statusById.value("req-fault"), 500);
        QCOMPARE(statusById.value("req-id-fault[[mock:fault=429]]"), 429);
    }

    void openAiUploadAndCreateAreValidated() {
        MockServer server(fastConfig());
        QVERIFY(server.listen());
        QCOMPARE(upload(server, openAiLine("a", "x"), "fine-tune").status, 400);
        QCOMPARE(upload(server, openAiLine("a", "x"), "batch", "input.txt").status, 400);
        QCOMPARE(send("POST", server.baseUrl() + "/v1/files", "{}").status, 400); // not multipart
        const QJsonObject missing{{"input_file_id", "file-nothing"},
                                  {"endpoint", "/v1/chat/completions"},
                                  {"completion_window", "24h"}};
        QCOMPARE(send("POST", server.baseUrl() + "/v1/batches", QJsonDocument(missing).toJson()).status, 404);
        const QString fileId = upload(server, openAiLine("a", "x")).json().value("id").toString();
        const QJsonObject window{
            {"input_file_id", fileId}, {"endpoint", "/v1/chat/completions"}, {"completion_window", "48h"}};
        QCOMPARE(send("POST", server.baseUrl() + "/v1/batches", QJsonDocument(window).toJson()).status, 400);
        QCOMPARE(send("GET", server.baseUrl() + "/v1/batches/batch_nothing").status, 404);
        QCOMPARE(server.openAiBatchesCreated(), 0);

        // Duplicate custom_ids are accepted at creation and fail validation, with the line named.
        const QString id = createOpenAiBatch(server, openAiLine("same", "a") + openAiLine("same", "b"));
        QVERIFY(!id.isEmpty());
        const QJsonObject failed = send("GET", server.baseUrl() + "/v1/batches/" + id).json();
        QCOMPARE(failed.value("status").toString(), QStringLiteral("failed"));
        const QJsonObject error = failed.value("errors").toObject().value("data").toArray().at(0).toObject();
        QCOMPARE(error.value("line").toInt(), 2);
        QVERIFY(error.value("message").toString().contains("unique"));
    }

    void openAiExpiryPutsTheRestInTheErrorFile() {
        MockConfig config = fastConfig();
        config.batchExpireAfter = 2;
        MockServer server(config);
        QVERIFY(server.listen());
        QByteArray jsonl;
        for (int i = 0; i < 5; ++i)
            jsonl += openAiLine(QStringLiteral("r%1").arg(i), QStringLiteral("q%1").arg(i));
        const QString id = createOpenAiBatch(server, jsonl);
        QJsonObject batch;
        for (int poll = 0; poll < 3; ++poll)
            batch = send("GET", server.baseUrl() + "/v1/batches/" + id).json();
        QCOMPARE(batch.value("status").toString(), QStringLiteral("expired"));
        QCOMPARE(batch.value("request_counts").toObject().value("completed").toInt(), 2);
        const QList<QJsonObject> errors =
            jsonLines(send("GET", server.baseUrl() + "/v1/files/" + batch.value("error_file_id").toString() +
                                      "/content")
                          .body);
        QCOMPARE(errors.size(), 3);
        for (const QJsonObject& line : errors) {
            QVERIFY(line.value("response").isNull());
            QCOMPARE(line.value("error").toObject().value("code").toString(),
                     QStringLiteral("batch_expired"));
        }
    }

    void openAiHoldCancelAndStreamingLines() {
        MockConfig config = fastConfig();
        config.batchHold = true;
        MockServer server(config);
        QVERIFY(server.listen());
        const QString id = createOpenAiBatch(server, openAiLine("a", "x") + openAiLine("b", "y", true));
        const QString url = server.baseUrl() + "/v1/batches/" + id;
        for (int poll = 0; poll < 6; ++poll)
            QCOMPARE(send("GET", url).json().value("status").toString(), QStringLiteral("in_progress"));
        config.batchHold = false;
        server.setConfig(config);
        send("GET", url);
        const QJsonObject done = send("GET", url).json();
        QCOMPARE(done.value("status").toString(), QStringLiteral("completed"));
        const QList<QJsonObject> errors = jsonLines(
            send("GET", server.baseUrl() + "/v1/files/" + done.value("error_file_id").toString() + "/content")
                .body);
        QCOMPARE(errors.size(), 1); // a streaming body cannot be batched
        QCOMPARE(errors.first().value("custom_id").toString(), QStringLiteral("b"));

        const QString second = createOpenAiBatch(server, openAiLine("c", "z"));
        const Reply cancelling = send("POST", server.baseUrl() + "/v1/batches/" + second + "/cancel");
        QCOMPARE(cancelling.json().value("status").toString(), QStringLiteral("cancelling"));
        const QJsonObject cancelled = send("GET", server.baseUrl() + "/v1/batches/" + second).json();
        QCOMPARE(cancelled.value("status").toString(), QStringLiteral("cancelled"));
        QVERIFY(cancelled.value("output_file_id").isNull());
        QCOMPARE(send("POST", server.baseUrl() + "/v1/batches/" + second + "/cancel").status, 400);
    }

    void timedStepsAdvanceWithoutPolls() {
        MockConfig config = fastConfig();
        config.batchStepMs = 30;
        MockServer server(config);
        QVERIFY(server.listen());
        const QString id = createOpenAiBatch(server, openAiLine("a", "x"));
        QTRY_COMPARE_WITH_TIMEOUT(
            send("GET", server.baseUrl() + "/v1/batches/" + id).json().value("status").toString(),
            QStringLiteral("completed"), kTimeoutMs);
    }

    void anthropicFlowWithShuffledResultsAndErrors() {
        MockServer server(fastConfig());
        QVERIFY(server.listen());
        QJsonArray requests;
        for (int i = 0; i < 10; ++i)
            requests.append(
                anthropicRequest(QStringLiteral("item-%1").arg(i), QStringLiteral("Prompt %1").arg(i)));
        requests.append(anthropicRequest("bad-one", "fails [[mock:fault=529]]"));
        requests.append(anthropicRequest("streaming", "no", true));
        const QByteArray body =
            QJsonDocument(QJsonObject{{"requests", requests}}).toJson(QJsonDocument::Compact);
        QCOMPARE(send("POST", server.baseUrl() + "/v1/messages/batches", body).status,
                 400); // no version header
        const Reply created = send("POST", server.baseUrl() + "/v1/messages/batches", body, true);
        QCOMPARE(created.status, 200);
        QCOMPARE(created.json().value("type").toString(), QStringLiteral("message_batch"));
        QCOMPARE(created.json().value("processing_status").toString(), QStringLiteral("in_progress"));
        QCOMPARE(created.json().value("request_counts").toObject().value("processing").toInt(), 12);
        QCOMPARE(server.anthropicBatchesCreated(), 1);
        const QString id = created.json().value("id").toString();
        QVERIFY(id.startsWith("msgbatch_"));
        const QString url = server.baseUrl() + "/v1/messages/batches/" + id;
        QCOMPARE(send("GET", url + "/results", {}, true).status, 400); // not ended yet

        QCOMPARE(send("GET", url, {}, true).json().value("processing_status").toString(),
                 QStringLiteral("in_progress"));
        const QJsonObject ended = send("GET", url, {}, true).json();
        QCOMPARE(ended.value("processing_status").toString(), QStringLiteral("ended"));
        const QJsonObject counts = ended.value("request_counts").toObject();
        QCOMPARE(counts.value("processing").toInt(), 0);
        QCOMPARE(counts.value("succeeded").toInt(), 10);
        QCOMPARE(counts.value("errored").toInt(), 2);
        QCOMPARE(ended.value("results_url").toString(), url + "/results");

        const QList<QJsonObject> results = jsonLines(send("GET", url + "/results", {}, true).body);
        QCOMPARE(results.size(), 12);
        QStringList order;
        for (const QJsonObject& line : results) {
            order.append(line.value("custom_id").toString());
            const QJsonObject result = line.value("result").toObject();
            if (line.value("custom_id").toString().startsWith("item-")) {
                QCOMPARE(result.value("type").toString(), QStringLiteral("succeeded"));
                const QJsonObject message = result.value("message").toObject();
                QCOMPARE(message.value("type").toString(), QStringLiteral("message"));
                QCOMPARE(message.value("stop_reason").toString(), QStringLiteral("end_turn"));
                QCOMPARE(message.value("usage").toObject().value("output_tokens").toInt(), 6);
            } else {
                QCOMPARE(result.value("type").toString(), QStringLiteral("errored"));
                QCOMPARE(result.value("error").toObject().value("type").toString(), QStringLiteral("error"));
            }
        }
        QVERIFY2(order.first() != QLatin1String("item-0") || order.at(1) != QLatin1String("item-1"),
                 "the results must not come back in input order");
    }

    void anthropicExpiryCancelAndValidation() {
        MockConfig config = fastConfig();
        config.batchExpireAfter = 1;
        MockServer server(config);
        QVERIFY(server.listen());
        const auto create = [&](const QJsonArray& requests) {
            return send("POST", server.baseUrl() + "/v1/messages/batches",
                        QJsonDocument(QJsonObject{{"requests", requests}}).toJson(QJsonDocument::Compact),
                        true);
        };
        QCOMPARE(create(QJsonArray{}).status, 400);
        QCOMPARE(create(QJsonArray{anthropicRequest("x", "a"), anthropicRequest("x", "b")}).status, 400);
        QCOMPARE(server.anthropicBatchesCreated(), 0);

        const QString expiring = create(QJsonArray{anthropicRequest("a", "1"), anthropicRequest("b", "2"),
                                                   anthropicRequest("c", "3")})
                                     .json()
                                     .value("id")
                                     .toString();
        const QString url = server.baseUrl() + "/v1/messages/batches/" + expiring;
        send("GET", url, {}, true);
        QCOMPARE(
            send("GET", url, {}, true).json().value("request_counts").toObject().value("expired").toInt(), 2);
        QHash<QString, QString> types;
        for (const QJsonObject& line : jsonLines(send("GET", url + "/results", {}, true).body))
            types.insert(line.value("custom_id").toString(),
                         line.value("result").toObject().value("type").toString());
        QCOMPARE(types.value("a"), QStringLiteral("succeeded"));
        QCOMPARE(types.value("b"), QStringLiteral("expired"));
        QCOMPARE(types.value("c"), QStringLiteral("expired"));

        const QString cancelled =
            create(QJsonArray{anthropicRequest("d", "4")}).json().value("id").toString();
        const QString cancelUrl = server.baseUrl() + "/v1/messages/batches/" + cancelled;
        QCOMPARE(send("POST", cancelUrl + "/cancel", {}, true).json().value("processing_status").toString(),
                 QStringLiteral("canceling"));
        QCOMPARE(send("GET", cancelUrl, {}, true).json().value("processing_status").toString(),
                 QStringLiteral("ended"));
        const QList<QJsonObject> results = jsonLines(send("GET", cancelUrl + "/results", {}, true).body);
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().value("result").toObject().value("type").toString(),
                 QStringLiteral("canceled"));
        QCOMPARE(server.anthropicBatchesCreated(), 2);
        QCOMPARE(server.statsJson().value("batchesCreated").toObject().value("anthropic").toInt(), 2);
    }

    void batchEndpointsCheckTheKey() {
        MockConfig config = fastConfig();
        config.requiredApiKey = QStringLiteral("sk-right");
        MockServer server(config);
        QVERIFY(server.listen());
        QCOMPARE(send("GET", server.baseUrl() + "/v1/batches/batch_x").status, 401);
        QCOMPARE(send("GET", server.baseUrl() + "/v1/messages/batches/msgbatch_x", {}, true).status, 401);
    }
};

QTEST_GUILESS_MAIN(TestMockBatches)
#include "TestMockBatches.moc"
