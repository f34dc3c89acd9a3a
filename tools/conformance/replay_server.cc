#include "replay_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <list>
#include <mutex>
#include <stop_token>
#include <string_view>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "util/fd.h"
#include "util/strings.h"

namespace airbyte::conformance {
namespace {

// A small HTTP/1.1 server of its own rather than cpp-httplib: the rules say the server adds
// only Content-Length, and httplib 0.11 neither reads a GET request's body (sent by manifests
// with body options on GET) nor omits its Keep-Alive headers.

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}


bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Waits until `fd` is readable; false when `wake` (the stop pipe) became readable first.
bool WaitReadable(int fd, int wake) {
  while (true) {
    pollfd p[2] = {{.fd = fd, .events = POLLIN, .revents = 0},
                   {.fd = wake, .events = POLLIN, .revents = 0}};
    const int ready = ::poll(p, 2, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || p[1].revents != 0) return false;
    if (p[0].revents != 0) return true;
  }
}

// Reads more bytes into `buffer`. False on EOF, error or stop.
bool ReadMore(int fd, int wake, std::string& buffer, const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    if (!WaitReadable(fd, wake)) return false;
    char chunk[16384];
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  return false;
}

}  // namespace


struct ReplayServer::Impl {
  Json routes;
  util::Fd listener;
  // Stop() writes to wake_write; every poll also watches wake_read, so threads wake at once.
  util::Fd wake_read;
  util::Fd wake_write;
  int port = 0;
  mutable std::mutex mu;
  std::vector<Json> requests;  // Guarded by mu.
  std::list<std::jthread> connections;  // Only touched by the accept thread and Stop().
  std::jthread acceptor;

  void Accept(const std::stop_token& stop);
  void Serve(util::Fd fd, const std::stop_token& stop);
  // Reads one request from `fd` into `request`; false when the connection is done.
  bool ReadRequest(int fd, std::string& buffer, ReplayRequest& request, bool& keep_alive,
                   const std::stop_token& stop);
};

void ReplayServer::Impl::Accept(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    if (!WaitReadable(listener.get(), wake_read.get())) break;
    const int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections.emplace_back(
        [this, conn = util::Fd(fd)](std::stop_token conn_stop) mutable {
          Serve(std::move(conn), conn_stop);
        });
  }
  for (std::jthread& connection : connections) connection.request_stop();
  connections.clear();  // joins
}

bool ReplayServer::Impl::ReadRequest(int fd, std::string& buffer, ReplayRequest& request,
                                     bool& keep_alive, const std::stop_token& stop) {
  std::size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore(fd, wake_read.get(), buffer, stop)) return false;
  }
  const std::string head = buffer.substr(0, end);
  buffer.erase(0, end + 4);

  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const std::size_t sp1 = request_line.find(' ');
  const std::size_t sp2 = request_line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return false;
  request = ReplayRequest{};
  request.method = util::AsciiUpper(request_line.substr(0, sp1));
  ParseTarget(request_line.substr(sp1 + 1, sp2 - sp1 - 1), request);
  keep_alive = request_line.substr(sp2 + 1) != "HTTP/1.0";

  std::size_t content_length = 0;
  bool chunked = false;
  bool expect_continue = false;
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view line = std::string_view(head).substr(
        start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(Trim(line.substr(0, colon)));
    std::string value(Trim(line.substr(colon + 1)));
    const std::string lower = util::AsciiLower(name);
    if (lower == "content-length") content_length = std::stoul(value);
    if (lower == "transfer-encoding" && util::AsciiLower(value).find("chunked") != std::string::npos) {
      chunked = true;
    }
    if (lower == "expect" && util::AsciiLower(value) == "100-continue") expect_continue = true;
    if (lower == "connection" && util::AsciiLower(value) == "close") keep_alive = false;
    request.headers.emplace_back(std::move(name), std::move(value));
  }
  if (expect_continue && !SendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n")) return false;

  std::string body;
  if (chunked) {
    while (true) {
      std::size_t size_end;
      while ((size_end = buffer.find("\r\n")) == std::string::npos) {
        if (!ReadMore(fd, wake_read.get(), buffer, stop)) return false;
      }
      const std::size_t size = std::stoul(buffer.substr(0, size_end), nullptr, 16);
      buffer.erase(0, size_end + 2);
      if (size == 0) {
        // Trailers end with an empty line.
        std::size_t trailer_end;
        while ((trailer_end = buffer.find("\r\n")) != 0) {
          if (trailer_end != std::string::npos) {
            buffer.erase(0, trailer_end + 2);
          } else if (!ReadMore(fd, wake_read.get(), buffer, stop)) {
            return false;
          }
        }
        buffer.erase(0, 2);
        break;
      }
      while (buffer.size() < size + 2) {
        if (!ReadMore(fd, wake_read.get(), buffer, stop)) return false;
      }
      body.append(buffer, 0, size);
      buffer.erase(0, size + 2);
    }
  } else {
    while (buffer.size() < content_length) {
      if (!ReadMore(fd, wake_read.get(), buffer, stop)) return false;
    }
    body = buffer.substr(0, content_length);
    buffer.erase(0, content_length);
  }
  if (body.empty()) {
    request.body = nullptr;
  } else {
    request.body = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (request.body.is_discarded()) request.body = body;
  }
  return true;
}

void ReplayServer::Impl::Serve(util::Fd fd, const std::stop_token& stop) {
  try {
    std::string buffer;
    ReplayRequest request;
    bool keep_alive = true;
    while (!stop.stop_requested() && ReadRequest(fd.get(), buffer, request, keep_alive, stop)) {
      {
        std::lock_guard lock(mu);
        requests.push_back(RequestRecord(request));
      }
      const std::string response = BuildResponse(routes, request, request.method == "HEAD");
      if (!SendAll(fd.get(), response) || !keep_alive) break;
    }
  } catch (...) {
    // A malformed request (bad Content-Length, chunk size): drop the connection.
  }
}

ReplayServer::ReplayServer(Json routes) : impl_(std::make_unique<Impl>()) {
  if (!routes.is_array()) {
    throw Error(ErrorKind::kInput, "The case's routes are not a JSON array.");
  }
  impl_->routes = std::move(routes);
  impl_->listener = util::Fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (impl_->listener.get() < 0) {
    throw Error(ErrorKind::kIo, "Could not create the replay server's socket.",
                {.context = {{"errno", std::strerror(errno)}}});
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(impl_->listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(impl_->listener.get(), 64) != 0 ||
      ::getsockname(impl_->listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw Error(ErrorKind::kIo, "The replay server could not listen on 127.0.0.1.",
                {.context = {{"errno", std::strerror(errno)}}});
  }
  impl_->port = ntohs(addr.sin_port);
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC) != 0) {
    throw Error(ErrorKind::kIo, "Could not create the replay server's wake pipe.",
                {.context = {{"errno", std::strerror(errno)}}});
  }
  impl_->wake_read = util::Fd(wake[0]);
  impl_->wake_write = util::Fd(wake[1]);
  impl_->acceptor = std::jthread([impl = impl_.get()](std::stop_token stop) {
    impl->Accept(stop);
  });
}

ReplayServer::~ReplayServer() { Stop(); }

void ReplayServer::Stop() {
  if (impl_->acceptor.joinable()) {
    impl_->acceptor.request_stop();
    const char byte = 0;
    while (::write(impl_->wake_write.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    impl_->acceptor.join();
  }
}

int ReplayServer::port() const { return impl_->port; }

std::string ReplayServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<Json> ReplayServer::Requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests;
}

}  // namespace airbyte::conformance
