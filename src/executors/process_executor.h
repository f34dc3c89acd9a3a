#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "executors/executor.h"

namespace airbyte::executors {

/// Runs a connector executable as a child process speaking the Airbyte protocol.
///
/// Command lines follow PyAirbyte exactly (behavior doc 3.2): `spec`; `check --config C`;
/// `discover --config C`; `read --config C --catalog K --state S` (the state file is always
/// passed, `[]` when empty). Config, catalog and state are 0600 files in a private 0700 temp
/// dir (under $AIRBYTE_TEMP_DIR when set), removed when the operation ends, also on error.
/// stdout is read in large blocks from an enlarged pipe; stderr is drained concurrently into a
/// masked ring buffer of the last lines. Thread-compatible.
class ProcessExecutor : public Executor {
 public:
  /// `program` is an absolute path; `connector_name` names the connector in errors.
  ProcessExecutor(std::string connector_name, std::filesystem::path program,
                  std::vector<std::string> extra_env = {});

  std::unique_ptr<MessageStream> Execute(const Invocation& invocation) override;
  std::string Describe() const override;

  const std::filesystem::path& program() const { return program_; }

 private:
  std::string connector_name_;
  std::filesystem::path program_;
  std::vector<std::string> extra_env_;
};

}  // namespace airbyte::executors
