#include "http/http_client.h"

#include <curl/curl.h>

#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "airbyte/error.h"
#include "http/url.h"
#include "util/strings.h"

namespace airbyte::http {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
using CurlEasy = std::unique_ptr<CURL, CurlDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlSlist = std::unique_ptr<curl_slist, SlistDeleter>;

constexpr long kMaxRedirects = 30;  // requests' default

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

void Append(CurlSlist& list, const std::string& line) {
  curl_slist* extended = curl_slist_append(list.get(), line.c_str());
  if (extended == nullptr) throw Error(ErrorKind::kInternal, "curl_slist_append failed.");
  static_cast<void>(list.release());  // `extended` now owns the old nodes
  list.reset(extended);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// `url` as an error may show it: query values that decode to a registered secret become
// "****" even when percent-encoded (the Error constructor masks the verbatim spelling).
std::string MaskUrl(const std::string& url) {
  const std::size_t question = url.find('?');
  if (question == std::string::npos) return MaskSecrets(url);
  std::string out = url.substr(0, question + 1);
  std::string_view query = std::string_view(url).substr(question + 1);
  std::string_view fragment;
  if (const std::size_t hash = query.find('#'); hash != std::string_view::npos) {
    fragment = query.substr(hash);
    query = query.substr(0, hash);
  }
  bool first = true;
  while (true) {
    const std::size_t amp = query.find('&');
    const std::string_view field = query.substr(0, amp);
    if (!first) out += '&';
    first = false;
    const std::size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      out += field;
    } else {
      const std::string_view value = field.substr(eq + 1);
      const QueryItems decoded = DecodeForm(std::string("x=") + std::string(value));
      const std::string plain = decoded.empty() ? std::string() : decoded.front().second;
      out += field.substr(0, eq + 1);
      out += MaskSecrets(plain) != plain ? std::string("****") : std::string(value);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  out += fragment;
  return MaskSecrets(out);
}

}  // namespace

std::optional<std::string> FindHeader(const Headers& headers, std::string_view name) {
  const std::string wanted = util::AsciiLower(name);
  for (const auto& [key, value] : headers) {
    if (util::AsciiLower(key) == wanted) return value;
  }
  return std::nullopt;
}

struct HttpClient::Impl {
  ClientOptions options;
  CurlEasy curl;
  // Filled by the callbacks during one Send().
  Response* response = nullptr;
  std::exception_ptr callback_error;

  static std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    try {
      self->response->body.append(data, size * count);
      return size * count;
    } catch (...) {  // a C callback: no exception may cross curl; a short count aborts
      self->callback_error = std::current_exception();
      return 0;
    }
  }

  static std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    try {
      const std::string_view line(data, size * count);
      if (line.starts_with("HTTP/")) {
        // A new response (after a redirect or a 1xx): keep only the last one's headers.
        self->response->headers.clear();
      } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
        self->response->headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                             std::string(Trim(line.substr(colon + 1))));
      }
      return size * count;
    } catch (...) {
      self->callback_error = std::current_exception();
      return 0;
    }
  }

  [[noreturn]] void ThrowTransportError(const Request& request, std::string reason,
                                        bool timeout) const {
    ErrorDetails details{
        .guidance = "Check the network, the URL and any proxy settings (http_proxy, https_proxy).",
        .context = {{"method", request.method}, {"url", MaskUrl(request.url)},
                    {"reason", std::move(reason)}}};
    if (timeout) details.context.emplace_back("transport_error", "timeout");
    throw Error(ErrorKind::kNetwork,
                "HTTP request failed: " + request.method + " " + MaskUrl(request.url),
                std::move(details));
  }
};

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  GlobalInitOnce();
  impl_->options = std::move(options);
  impl_->curl.reset(curl_easy_init());
  if (!impl_->curl) throw Error(ErrorKind::kInternal, "curl_easy_init failed.");
}

HttpClient::~HttpClient() = default;

Response HttpClient::Send(const Request& request) {
  Impl& impl = *impl_;
  std::string target = request.url;
  if (impl.options.rewrite) {
    std::optional<std::string> rewritten = impl.options.rewrite(request.url);
    if (!rewritten) {
      impl.ThrowTransportError(request, "refused by the client's URL rewrite (no connection made)",
                               /*timeout=*/false);
    }
    target = std::move(*rewritten);
  }

  CURL* c = impl.curl.get();
  // Resets options only: the connection cache, DNS cache and TLS sessions stay.
  curl_easy_reset(c);

  CurlSlist header_list;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's spelling of a header with an empty value ("Name:" would remove it).
    Append(header_list, value.empty() ? name + ";" : name + ": " + value);
  }
  Append(header_list, "Expect:");  // no 100-continue round trip before bodies
  if (!request.body.empty() && !FindHeader(request.headers, "Content-Type")) {
    Append(header_list, "Content-Type:");  // the body is sent as is, like requests' data=str
  }

  Response response;
  response.url = request.url;
  impl.response = &response;
  impl.callback_error = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(c, CURLOPT_URL, target.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can undo
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(impl.options.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(impl.options.timeout.count()));
  if (!FindHeader(request.headers, "User-Agent")) {
    curl_easy_setopt(c, CURLOPT_USERAGENT, impl.options.user_agent.c_str());
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Impl::OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &impl);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &impl);

  if (request.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  } else {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }
  if (request.method != "GET" && request.method != "POST" && request.method != "HEAD") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else if (request.method == "GET" && !request.body.empty()) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "GET");  // POSTFIELDS alone would say POST
  }

  const CURLcode code = curl_easy_perform(c);
  // Nothing of this call may dangle in the handle until the next Send().
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  impl.response = nullptr;
  if (impl.callback_error) std::rethrow_exception(std::exchange(impl.callback_error, nullptr));
  if (code != CURLE_OK) {
    std::string reason = error_buffer[0] != '\0' ? std::string(error_buffer)
                                                 : std::string(curl_easy_strerror(code));
    impl.ThrowTransportError(request, std::move(reason), code == CURLE_OPERATION_TIMEDOUT);
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace airbyte::http
