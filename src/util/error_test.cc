#include "airbyte/error.h"

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace airbyte {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSeparator(60, '-');

constexpr ErrorKind kAllKinds[] = {
    ErrorKind::kInternal,
    ErrorKind::kInput,
    ErrorKind::kNoStreamsSelected,
    ErrorKind::kNameNormalization,
    ErrorKind::kCache,
    ErrorKind::kConfigMissing,
    ErrorKind::kValidation,
    ErrorKind::kRegistry,
    ErrorKind::kConnectorNotRegistered,
    ErrorKind::kExecutableNotFound,
    ErrorKind::kInstallation,
    ErrorKind::kMissingSpec,
    ErrorKind::kMissingCatalog,
    ErrorKind::kCheckFailed,
    ErrorKind::kConnectorFailed,
    ErrorKind::kConnectorWrite,
    ErrorKind::kNoData,
    ErrorKind::kStreamNotFound,
    ErrorKind::kStateNotFound,
    ErrorKind::kSecretNotFound,
    ErrorKind::kProtocol,
    ErrorKind::kTimeout,
    ErrorKind::kCancelled,
    ErrorKind::kNetwork,
    ErrorKind::kIo,
};

// ---- Render(): the layout of pyairbyte-behavior.md section 10.2 -----------------------------

TEST(ErrorTest, RenderMatchesPyAirbyteLayoutWithEveryField) {
  const Error error(ErrorKind::kConnectorFailed, "Connector failed.",
                    {.guidance = "Check the connector's config.",
                     .help_url = "https://docs.airbyte.com/integrations/sources/faker",
                     .context = {{"connector_name", "source-faker"}, {"exit_code", 3}},
                     .log_tail = "Starting sync\nTraceback: boom\n",
                     .log_file = "/home/user/.airbyte/logs/source-faker.log",
                     .cause = "RuntimeError: boom"});
  const std::string expected =
      "Connector failed. (AirbyteConnectorFailedError)\n" + kSeparator +
      "\n"
      "AirbyteConnectorFailedError: Connector failed.\n"
      "    Check the connector's config.\n"
      "    More info: https://docs.airbyte.com/integrations/sources/faker\n"
      "    Connector Name: 'source-faker'\n"
      "    Exit Code: 3\n"
      "    Log output: \n"
      "        Starting sync\n"
      "        Traceback: boom\n" +
      kSeparator +
      "\n"
      "Caused by: RuntimeError: boom\n"
      "    Log file: /home/user/.airbyte/logs/source-faker.log";
  EXPECT_EQ(error.Render(), expected);
  EXPECT_EQ(std::string(error.what()), expected);
}

TEST(ErrorTest, RenderOfBareErrorIsHeaderAndSeparators) {
  const Error error(ErrorKind::kCache, "Table is locked.");  // kCache has no default guidance
  EXPECT_EQ(error.Render(), "Table is locked. (PyAirbyteCacheError)\n" + kSeparator +
                                "\nPyAirbyteCacheError: Table is locked.\n" + kSeparator);
}

TEST(ErrorTest, RenderWithLogFileButNoCause) {
  const Error error(ErrorKind::kNoData, "No data.", {.log_file = "/tmp/x.log"});
  EXPECT_EQ(error.Render(), "No data. (AirbyteNoDataFromConnectorError)\n" + kSeparator +
                                "\nAirbyteNoDataFromConnectorError: No data.\n" + kSeparator +
                                "\n    Log file: /tmp/x.log");
}

TEST(ErrorTest, EveryLogLineIsIndentedEightSpacesAndTrailingNewlinesDropped) {
  const Error error(ErrorKind::kCache, "m", {.log_tail = "one\n  two\nthree\n\n\n"});
  EXPECT_THAT(
      error.Render(),
      HasSubstr("\n    Log output: \n        one\n          two\n        three\n" + kSeparator));
}

TEST(ErrorTest, EmptyLogTailPrintsNoLogSection) {
  const Error error(ErrorKind::kCache, "m", {.log_tail = "\n"});
  EXPECT_THAT(error.Render(), Not(HasSubstr("Log output")));
}

TEST(ErrorTest, ContextKeysAreTitleCasedLikePython) {
  const Error error(
      ErrorKind::kCache, "m",
      {.context = {
           {"stream_name", "users"}, {"HTTP_status", "x"}, {"api2key", "y"}, {"run_args", "z"}}});
  EXPECT_THAT(error.Render(), AllOf(HasSubstr("\n    Stream Name: 'users'\n"),
                                    HasSubstr("\n    Http Status: 'x'\n"),
                                    HasSubstr("\n    Api2Key: 'y'\n"),  // str.title() quirk
                                    HasSubstr("\n    Run Args: 'z'\n")));
}

TEST(ErrorTest, IntegerContextRendersBareAndStringsQuoted) {
  const Error error(
      ErrorKind::kCache, "m",
      {.context = {{"exit_code", -9}, {"count", std::int64_t{1} << 40}, {"code_text", "-9"}}});
  EXPECT_THAT(error.Render(),
              AllOf(HasSubstr("\n    Exit Code: -9\n"), HasSubstr("\n    Count: 1099511627776\n"),
                    HasSubstr("\n    Code Text: '-9'\n")));
  EXPECT_EQ(error.ContextValue("exit_code"), "-9");
  EXPECT_EQ(error.ContextValue("missing"), "");
}

TEST(ErrorTest, ContextStringsRenderAsPythonRepr) {
  // repr() picks double quotes for a text with a single quote, and escapes control
  // characters, so every property stays on one line.
  const Error error(ErrorKind::kCache, "m",
                    {.context = {{"a", "it's"},
                                 {"b", "say \"hi\""},
                                 {"c", "both ' and \""},
                                 {"d", "line1\nline2\ttab"},
                                 {"e", "C:\\dir"}}});
  EXPECT_THAT(
      error.Render(),
      AllOf(HasSubstr("\n    A: \"it's\"\n"), HasSubstr("\n    B: 'say \"hi\"'\n"),
            HasSubstr("\n    C: 'both \\' and \"'\n"),
            HasSubstr("\n    D: 'line1\\nline2\\ttab'\n"), HasSubstr("\n    E: 'C:\\\\dir'\n")));
  EXPECT_EQ(error.ContextValue("d"), "line1\nline2\ttab") << "only the rendering escapes";
}

// ---- defaults per kind ---------------------------------------------------------------------

TEST(ErrorTest, EmptyMessageUsesTheKindsDefault) {
  const Error error(ErrorKind::kCheckFailed, "");
  EXPECT_EQ(error.message(), "Connector check failed.");
  EXPECT_THAT(error.Render(),
              HasSubstr("Connector check failed. (AirbyteConnectorCheckFailedError)\n"));
}

TEST(ErrorTest, EveryKindHasClassNameAndDefaultMessage) {
  for (ErrorKind kind : kAllKinds) {
    const Error error(kind, "");
    EXPECT_FALSE(error.class_name().empty()) << static_cast<int>(kind);
    EXPECT_FALSE(error.message().empty()) << error.class_name();
    EXPECT_EQ(error.kind(), kind);
  }
}

struct KindExpectation {
  ErrorKind kind;
  const char* class_name;
  const char* default_message;
  const char* guidance_fragment;  // "" when the kind has no default guidance
};

// Readable test names in ctest, not the struct's bytes.
void PrintTo(const KindExpectation& expectation, std::ostream* os) {
  *os << expectation.class_name;
}

class ErrorKindTest : public ::testing::TestWithParam<KindExpectation> {};

TEST_P(ErrorKindTest, HasPyAirbyteClassNameMessageAndGuidance) {
  const KindExpectation& expected = GetParam();
  const Error error(expected.kind, "");
  EXPECT_EQ(error.class_name(), expected.class_name);
  EXPECT_EQ(error.message(), expected.default_message);
  if (*expected.guidance_fragment == '\0') {
    EXPECT_EQ(error.guidance(), "");
  } else {
    EXPECT_THAT(error.guidance(), HasSubstr(expected.guidance_fragment));
    EXPECT_THAT(error.Render(), HasSubstr("\n    " + error.guidance() + "\n"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ErrorKindTest,
    ::testing::Values(
        KindExpectation{ErrorKind::kInternal, "PyAirbyteInternalError",
                        "An internal error occurred in PyAirbyte.",
                        "Please consider reporting this error to the Airbyte team."},
        KindExpectation{ErrorKind::kInput, "PyAirbyteInputError",
                        "The input provided to PyAirbyte did not match expected validation rules.",
                        "Please check the provided value and try again."},
        KindExpectation{ErrorKind::kNoStreamsSelected, "PyAirbyteNoStreamsSelectedError",
                        "No streams were selected for the source.", "select_streams()"},
        KindExpectation{ErrorKind::kCache, "PyAirbyteCacheError",
                        "Error occurred while accessing the cache.", ""},
        KindExpectation{ErrorKind::kConfigMissing, "AirbyteConnectorConfigurationMissingError",
                        "Connector is missing configuration.", "config"},
        KindExpectation{ErrorKind::kConnectorNotRegistered, "AirbyteConnectorNotRegisteredError",
                        "Connector not found in registry.",
                        "Please double check the connector name."},
        KindExpectation{ErrorKind::kExecutableNotFound, "AirbyteConnectorExecutableNotFoundError",
                        "Connector executable not found.", "PATH"},
        KindExpectation{ErrorKind::kMissingSpec, "AirbyteConnectorMissingSpecError",
                        "Connector did not return a spec.", "SPEC"},
        KindExpectation{ErrorKind::kMissingCatalog, "AirbyteConnectorMissingCatalogError",
                        "Connector did not return a catalog.", "CATALOG"},
        KindExpectation{ErrorKind::kCheckFailed, "AirbyteConnectorCheckFailedError",
                        "Connector check failed.", "check"},
        KindExpectation{ErrorKind::kConnectorFailed, "AirbyteConnectorFailedError",
                        "Connector failed.", "log output"},
        KindExpectation{ErrorKind::kConnectorWrite, "AirbyteConnectorWriteError",
                        "Error when writing to the connector.", ""},
        KindExpectation{ErrorKind::kNoData, "AirbyteNoDataFromConnectorError",
                        "No data was provided from the connector.", ""},
        KindExpectation{ErrorKind::kStreamNotFound, "AirbyteStreamNotFoundError",
                        "Connector stream not found.", "available streams"},
        KindExpectation{ErrorKind::kSecretNotFound, "PyAirbyteSecretNotFoundError",
                        "Secret not found.", "environment variable"},
        KindExpectation{ErrorKind::kTimeout, "AirbyteConnectorTimeoutError",
                        "The connector did not finish in time.", "timeout"}),
    [](const ::testing::TestParamInfo<KindExpectation>& kind_info) {
      return std::string(kind_info.param.class_name);
    });

TEST(ErrorTest, ExplicitGuidanceAndHelpUrlReplaceTheDefaults) {
  const Error error(ErrorKind::kInternal, "Bug.",
                    {.guidance = "Retry once.", .help_url = "https://example.com/help"});
  EXPECT_EQ(error.guidance(), "Retry once.");
  EXPECT_EQ(error.help_url(), "https://example.com/help");
  EXPECT_THAT(error.Render(), Not(HasSubstr("reporting this error")));
}

TEST(ErrorTest, InternalAndInputErrorsLinkToPyAirbyteHelp) {
  EXPECT_EQ(Error(ErrorKind::kInternal, "").help_url(),
            "https://github.com/airbytehq/airbyte/issues/new/choose");
  EXPECT_EQ(Error(ErrorKind::kInput, "").help_url(),
            "https://airbytehq.github.io/PyAirbyte/airbyte.html");
  EXPECT_EQ(Error(ErrorKind::kCache, "").help_url(), "");
}

// ---- secrets -------------------------------------------------------------------------------

TEST(ErrorTest, MasksRegisteredSecretInEveryTextField) {
  const std::string secret = "error-test-secret-Zq81xw";
  RegisterSecret(secret);
  const Error error(ErrorKind::kConnectorFailed, "Auth failed for " + secret,
                    {.guidance = "Rotate " + secret,
                     .context = {{"api_key", secret}},
                     .log_tail = "line with " + secret + "\nand JSON {\"k\":\"" + secret + "\"}",
                     .cause = "HTTPError: 401 for key=" + secret});
  EXPECT_THAT(error.Render(), Not(HasSubstr(secret)));
  EXPECT_THAT(std::string(error.what()), Not(HasSubstr(secret)));
  EXPECT_EQ(error.message(), "Auth failed for ****");
  EXPECT_EQ(error.guidance(), "Rotate ****");
  EXPECT_EQ(error.ContextValue("api_key"), "****");
  EXPECT_EQ(error.log_tail(), "line with ****\nand JSON {\"k\":\"****\"}");
  EXPECT_EQ(error.cause(), "HTTPError: 401 for key=****");
  EXPECT_THAT(error.Render(), HasSubstr("Api Key: '****'"));
}

// ---- exceptions and exit codes -------------------------------------------------------------

TEST(ErrorTest, IsARuntimeErrorWhoseWhatIsTheRendering) {
  try {
    throw Error(ErrorKind::kNetwork, "Connection refused.");
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "Connection refused. (AirbyteNetworkError)\n" + kSeparator +
                                         "\nAirbyteNetworkError: Connection refused.\n" +
                                         kSeparator);
    return;
  }
  FAIL() << "not caught as std::runtime_error";
}

TEST(ErrorTest, CopiesKeepEveryField) {
  const Error original(ErrorKind::kProtocol, "Bad line.",
                       {.context = {{"line_number", 12}}, .log_tail = "tail"});
  const Error copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.kind(), ErrorKind::kProtocol);
  EXPECT_EQ(copy.Render(), original.Render());
  EXPECT_EQ(std::string(copy.what()), original.Render());
}

TEST(ErrorTest, ExitCodeIsTwoForBadInputAndOneOtherwise) {
  const std::vector<ErrorKind> input_kinds = {ErrorKind::kInput,
                                              ErrorKind::kNoStreamsSelected,
                                              ErrorKind::kNameNormalization,
                                              ErrorKind::kConfigMissing,
                                              ErrorKind::kValidation,
                                              ErrorKind::kConnectorNotRegistered,
                                              ErrorKind::kExecutableNotFound,
                                              ErrorKind::kStreamNotFound,
                                              ErrorKind::kSecretNotFound};
  for (ErrorKind kind : kAllKinds) {
    const bool input = std::find(input_kinds.begin(), input_kinds.end(), kind) != input_kinds.end();
    EXPECT_EQ(ExitCodeFor(kind), input ? 2 : 1) << Error(kind, "").class_name();
  }
}

}  // namespace
}  // namespace airbyte
