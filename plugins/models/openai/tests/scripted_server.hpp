// An HTTP server on 127.0.0.1 (a free port) that answers POST /v1/completions with a script,
// in a thread of the test; it records what it received and how many requests were in flight.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace steper::openai {

struct ReceivedRequest {
  std::string path;
  std::string body;
  std::string authorization;  // "" when the header was absent
};

class ScriptedServer {
 public:
  // call: 0-based count of the requests received before this one.
  using Script = std::function<void(const httplib::Request&, httplib::Response&, int call)>;

  explicit ScriptedServer(Script script, const std::string& path = "/v1/completions") : script_(std::move(script)) {
    server_.Post(path, [this](const httplib::Request& request, httplib::Response& response) { serve(request, response); });
    server_.set_tcp_nodelay(true);  // as uvicorn (vLLM) does; otherwise Nagle adds 40 ms per answer
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("scripted server: cannot bind a port on 127.0.0.1");
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      listen_returned_ = true;
    });
  }
  ~ScriptedServer() {
    // stop() does nothing before the accept loop runs, so wait for it (or for its failure).
    while (!server_.is_running() && !listen_returned_) std::this_thread::yield();
    server_.stop();
    thread_.join();
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  int calls() const { return calls_; }
  int max_in_flight() const { return max_in_flight_; }
  std::vector<ReceivedRequest> received() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }

  // For scripts: waits until `count` requests have been in flight at once (or `limit` passed).
  void wait_for_in_flight(int count, std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    in_flight_changed_.wait_for(lock, limit, [&] { return max_in_flight_ >= count; });
  }

 private:
  void serve(const httplib::Request& request, httplib::Response& response) {
    int call = 0;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      call = calls_++;
      received_.push_back({request.path, request.body, request.get_header_value("Authorization")});
      max_in_flight_ = std::max(max_in_flight_.load(), ++in_flight_);
    }
    in_flight_changed_.notify_all();
    script_(request, response, call);
    const std::lock_guard<std::mutex> lock(mutex_);
    --in_flight_;
  }

  Script script_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};
  mutable std::mutex mutex_;
  std::condition_variable in_flight_changed_;
  std::atomic<int> calls_{0};
  int in_flight_ = 0;
  std::atomic<int> max_in_flight_{0};
  std::vector<ReceivedRequest> received_;
};

// A completion as vLLM answers it.
inline std::string completion_json(const std::string& text, const std::string& finish_reason = "length",
                                   int prompt_tokens = 7, int completion_tokens = 3) {
  return R"({"id": "cmpl-1", "object": "text_completion", "model": "teacher", "choices": [{"index": 0, "text": ")" +
         text + R"(", "finish_reason": ")" + finish_reason + R"(", "stop_reason": null}], "usage": {"prompt_tokens": )" +
         std::to_string(prompt_tokens) + R"(, "completion_tokens": )" + std::to_string(completion_tokens) +
         R"(, "total_tokens": )" + std::to_string(prompt_tokens + completion_tokens) + "}}";
}

// A port on 127.0.0.1 where nothing listens: bound and released again.
inline int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("unused_port: cannot bind a socket on 127.0.0.1");
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace steper::openai
