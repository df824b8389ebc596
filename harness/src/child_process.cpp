#include "child_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

extern char** environ;

namespace steper {
namespace {

void say(const char* text) {
  if (::write(STDERR_FILENO, text, std::strlen(text)) < 0) return;
}

// In the child: only async-signal-safe calls, since the parent may have threads.
[[noreturn]] void become(char* const* argv, char* const* environment, const char* out, const char* err,
                         bool err_to_out, int death_signal, pid_t parent) {
  if (death_signal != 0) {
    ::prctl(PR_SET_PDEATHSIG, death_signal);
    if (::getppid() != parent) ::_exit(1);  // the parent died before prctl
  }
  const auto redirect = [](const char* path, int fd) {
    const int opened = ::open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);  // == fd when the parent had fd closed
    if (opened < 0 || (opened != fd && ::dup2(opened, fd) < 0)) {
      say("cannot open ");
      say(path);
      say("\n");
      ::_exit(127);
    }
    if (opened != fd) ::close(opened);
  };
  if (out) redirect(out, STDOUT_FILENO);
  if (err_to_out) {
    if (::dup2(STDOUT_FILENO, STDERR_FILENO) < 0) ::_exit(127);
  } else if (err) {
    redirect(err, STDERR_FILENO);
  }
  ::execvpe(argv[0], argv, environment);
  say("cannot execute ");
  say(argv[0]);
  say("\n");
  ::_exit(127);
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

}  // namespace

pid_t start_child(const ChildProcess& child) {
  // Everything the child needs is built before fork: allocating after it is not safe.
  std::vector<std::string> args = child.argv, environment = child.environment;
  const std::vector<char*> argv = pointers(args), env = pointers(environment);
  const char* out = child.stdout_file.empty() ? nullptr : child.stdout_file.c_str();
  const bool err_to_out = out && child.stderr_file == child.stdout_file;
  const char* err = child.stderr_file.empty() ? nullptr : child.stderr_file.c_str();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) become(argv.data(), env.data(), out, err, err_to_out, child.death_signal, parent);
  return pid;
}

std::vector<std::string> environment_without(const std::vector<std::string>& drop) {
  std::vector<std::string> kept;
  for (char** variable = environ; *variable; ++variable) {
    const std::string entry = *variable;
    if (std::find(drop.begin(), drop.end(), entry.substr(0, entry.find('='))) == drop.end()) kept.push_back(entry);
  }
  return kept;
}

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return status;
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "exit code " + std::to_string(WEXITSTATUS(status));
}

}  // namespace steper
