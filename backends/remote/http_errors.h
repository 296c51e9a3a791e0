#pragma once
// Turning transport failures and HTTP error bodies into messages a person can act on,
// and keeping secrets out of them. Plain C++ (no Qt) so kube/Prometheus code can share it.
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::remote {

// "connection refused", "TLS: server certificate not trusted ...", "timed out ...".
// curlCode is a CURLcode; errorBuffer is curl's CURLOPT_ERRORBUFFER text.
std::string describeCurlFailure(int curlCode, const char *errorBuffer, bool tooBig,
                                std::size_t maxBytes);

// Failures worth another attempt for an idempotent request: the server was unreachable,
// slow, or dropped the connection. Not TLS verification, not a malformed URL.
bool isRetryableCurlCode(int curlCode);
bool isRetryableStatus(int status); // 429, 502, 503, 504
bool isIdempotentMethod(std::string_view method);

// Replaces each non-empty secret (and its base64 encoding) by "<redacted>".
std::string redactSecrets(std::string text, const std::vector<std::string> &secrets);

const char *reasonPhrase(int status);

// The message a server put into an error body: Kubernetes Status.message, Prometheus
// {"error": ...}, Alertmanager {"message": ...}, or a one-line excerpt of text.
std::string serverMessage(std::string_view body);

} // namespace opsdeck::remote
