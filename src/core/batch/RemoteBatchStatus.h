#pragma once

#include <QString>

namespace parallax {

/// What a provider says about a submitted batch, normalized across OpenAI and Anthropic.
struct RemoteBatchStatus {
    QString remoteId;
    QString status; ///< the provider's own word: validating, in_progress, finalizing, completed, ended, ...
    bool ended = false; ///< no more work will happen: download what results there are
    int total = 0;
    int succeeded = 0;
    int failed = 0;
    QString outputFileId; ///< OpenAI
    QString errorFileId;  ///< OpenAI
    QString resultsUrl;   ///< Anthropic
    QString message;      ///< why the whole batch failed (OpenAI validation errors), else empty
};

} // namespace parallax
