// The `airbyte` command line: parses arguments, calls the library, renders results and errors.
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

#include "airbyte/error.h"
#include "cli/commands.h"
#include "util/temp_dir.h"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // `airbyte records ... | head` must end cleanly
  // Ctrl-C or a kill mid-run must not leave a connector config (secrets) in the temp dir.
  airbyte::util::RemoveTempDirsOnFatalSignals();
  CLI::App app{"airbyte: run Airbyte connectors from the command line (a C++ PyAirbyte)."};
  app.set_version_flag("--version", std::string("airbyte ") + AIRBYTE_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 connector or sync failure, 2 bad input or usage.\n"
      "Run `airbyte <command> --help` for a command's options and examples.");
  airbyte::cli::CommandRegistry commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    return commands.Run();
  } catch (const airbyte::Error& e) {
    // Masked again: a secret registered after the error was built (rare) is hidden too.
    std::cerr << airbyte::MaskSecrets(e.Render()) << "\n";
    return airbyte::ExitCodeFor(e.kind());
  } catch (const std::exception& e) {
    std::cerr << airbyte::Error(airbyte::ErrorKind::kInternal, "", {.cause = e.what()}).Render()
              << "\n";
    return 1;
  } catch (...) {
    std::cerr << "airbyte: unknown internal error\n";
    return 1;
  }
}
