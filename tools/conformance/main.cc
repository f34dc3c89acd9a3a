// airbyte-conformance: runs declarative conformance cases (shared/conformance/README.md)
// through the native engine and compares each with its expected/ folder.
//
//   airbyte-conformance [-v] [--shared DIR] [--manifests-root DIR] [--write-actual DIR]
//                       CASE_OR_PARENT_DIR...

#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "case_runner.h"
#include "compare.h"

namespace {

int Usage(const char* error) {
  if (error != nullptr) std::cerr << "airbyte-conformance: " << error << "\n";
  std::cerr << "usage: airbyte-conformance [-v] [--shared DIR] [--manifests-root DIR]\n"
               "                           [--write-actual DIR] CASE_OR_PARENT_DIR...\n"
               "  A directory holding case.json is one case; any other directory is searched\n"
               "  recursively. Exit status 0 iff every case passes.\n";
  return 2;
}

void PrintIndented(const std::string& text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    std::cout << "  " << text.substr(start, end - start) << "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace airbyte::conformance;
  CaseOptions options;
  bool verbose = false;
  std::filesystem::path write_actual;
  std::vector<std::filesystem::path> roots;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "-v" || arg == "--verbose") {
      verbose = true;
    } else if (arg == "--shared" || arg == "--manifests-root" || arg == "--write-actual") {
      const char* v = value();
      if (v == nullptr) return Usage((arg + " needs a directory").c_str());
      if (arg == "--shared") options.shared_dir = v;
      if (arg == "--manifests-root") options.manifests_root = v;
      if (arg == "--write-actual") write_actual = v;
    } else if (arg == "-h" || arg == "--help") {
      Usage(nullptr);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage(("unknown option " + arg).c_str());
    } else {
      roots.emplace_back(arg);
    }
  }
  if (roots.empty()) return Usage("no case directory given");

  std::vector<std::filesystem::path> cases;
  for (const std::filesystem::path& root : roots) {
    std::vector<std::filesystem::path> found = FindCases(root);
    if (found.empty()) std::cerr << "airbyte-conformance: no case under " << root.string() << "\n";
    cases.insert(cases.end(), found.begin(), found.end());
  }

  int passed = 0;
  int failed = 0;
  for (const std::filesystem::path& dir : cases) {
    try {
      CaseResult result = RunCase(dir, options);
      const Comparison comparison = Compare(result.expected, result.actual);
      if (!write_actual.empty()) WriteOutcome(result.actual, write_actual / result.name);
      if (comparison.ok()) {
        ++passed;
        std::cout << "PASS " << result.name << "\n";
      } else {
        ++failed;
        std::cout << "FAIL " << result.name << "\n";
        for (const std::string& failure : comparison.failures) PrintIndented(failure);
        if (result.exception) PrintIndented("exception: " + *result.exception);
      }
      if (verbose) {
        for (const std::string& note : comparison.notes) PrintIndented("note: " + note);
        if (comparison.ok() && result.exception) {
          PrintIndented("exception: " + *result.exception);
        }
      }
    } catch (const std::exception& error) {
      ++failed;
      std::cout << "FAIL " << dir.string() << "\n";
      PrintIndented(std::string("could not run the case: ") + error.what());
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && !cases.empty() ? 0 : 1;
}
