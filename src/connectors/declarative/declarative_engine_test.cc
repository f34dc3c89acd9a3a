// The declarative engine end to end against a real HTTP server on 127.0.0.1: request building,
// authenticators, pagination, error handling, incremental state and the protocol messages of
// check, discover and read. Manifests are small inline YAML documents; every outgoing URL is
// rewritten to the local server, as the conformance runner does.

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/declarative_source.h"
#include "connectors/declarative/manifest_loader.h"
#include "connectors/declarative/paginator.h"
#include "protocol/json_convert.h"
#include "testutil/testutil.h"

namespace airbyte::declarative {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// 2024-06-30T12:00:00Z
constexpr std::int64_t kNowMicros = 1'719'748'800'000'000;

struct Seen {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;
  std::string body;
};

// An HTTP server whose answers come from a handler; records every request.
class LocalServer {
 public:
  using Handler = std::function<void(const Seen&, httplib::Response&)>;

  explicit LocalServer(Handler handler) : handler_(std::move(handler)) {
    auto route = [this](const httplib::Request& req, httplib::Response& res) {
      Seen seen{req.method, req.path, {}, {}, req.body};
      for (const auto& [name, value] : req.params) seen.query.emplace(name, value);
      for (const auto& [name, value] : req.headers) seen.headers[name] = value;
      {
        std::lock_guard<std::mutex> lock(mu_);
        seen_.push_back(seen);
      }
      handler_(seen, res);
    };
    server_.Get(".*", route);
    server_.Post(".*", route);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~LocalServer() {
    server_.stop();
    thread_.join();
  }

  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  Handler handler_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Seen> seen_;
};

void Reply(httplib::Response& res, const Json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

struct Collected : connectors::MessageSink {
  bool Emit(protocol::Message message) override {
    messages.push_back(std::move(message));
    return true;
  }
  std::vector<Json> Records(const std::string& stream) const {
    std::vector<Json> out;
    for (const auto& m : messages) {
      if (m.type() == protocol::MessageType::kRecord && m.record().stream == stream) {
        out.push_back(Json::parse(m.record().data));
      }
    }
    return out;
  }
  std::vector<Json> States() const {
    std::vector<Json> out;
    for (const auto& m : messages) {
      if (m.type() == protocol::MessageType::kState) out.push_back(m.state().stream->stream_state);
    }
    return out;
  }
  std::vector<protocol::TraceMessage> Traces(protocol::TraceType type) const {
    std::vector<protocol::TraceMessage> out;
    for (const auto& m : messages) {
      if (m.type() == protocol::MessageType::kTrace && m.trace().type == type) {
        out.push_back(m.trace());
      }
    }
    return out;
  }
  std::vector<protocol::Message> messages;
};

std::unique_ptr<connectors::NativeConnector> Connector(const std::string& yaml,
                                                       const LocalServer& server,
                                                       int* sleeps = nullptr) {
  std::string origin = server.origin();
  return MakeDeclarativeConnector(
      ParseYaml(yaml, "test manifest"),
      {.name = "source-test",
       .now_micros = [] { return kNowMicros; },
       .rewrite_url =
           [origin](const std::string& url) -> std::optional<std::string> {
             const std::string prefix = "https://api.example.com";
             if (url.rfind(prefix, 0) != 0) return std::nullopt;
             return origin + url.substr(prefix.size());
           },
       .sleep = [sleeps](std::chrono::milliseconds) {
         if (sleeps) ++*sleeps;
       }});
}

protocol::ConfiguredAirbyteCatalog Catalog(const std::vector<std::string>& names,
                                           bool incremental = false) {
  Json catalog = {{"streams", Json::array()}};
  for (const auto& name : names) {
    catalog["streams"].push_back(
        {{"stream", {{"name", name}, {"json_schema", Json::object()},
                     {"supported_sync_modes", {"full_refresh", "incremental"}}}},
         {"sync_mode", incremental ? "incremental" : "full_refresh"},
         {"destination_sync_mode", "append"}});
  }
  return protocol::ConfiguredCatalogFromJson(catalog);
}

constexpr const char* kPagedManifest = R"(
version: 6.0.0
type: DeclarativeSource
check:
  type: CheckStream
  stream_names: [items]
definitions:
  requester:
    type: HttpRequester
    url_base: https://api.example.com/v3
    path: /v3/items?kind={{ config['kind'] }}
    http_method: GET
    authenticator:
      type: BasicHttpAuthenticator
      username: api
      password: "{{ config['api_key'] }}"
    request_parameters:
      empty: "{{ config.get('missing', '') }}"
      limit: "2"
streams:
  - type: DeclarativeStream
    name: items
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/requester"
      record_selector:
        type: RecordSelector
        extractor:
          type: DpathExtractor
          field_path: [data]
      paginator:
        type: DefaultPaginator
        page_token_option:
          type: RequestOption
          inject_into: request_parameter
          field_name: page
        pagination_strategy:
          type: PageIncrement
          page_size: 2
    schema_loader:
      type: InlineSchemaLoader
      schema:
        type: object
        properties:
          id: {type: integer}
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      api_key: {type: string, airbyte_secret: true}
)";

TEST(DeclarativeEngineTest, PageIncrementJoinsUrlsAndAuthenticates) {
  LocalServer server([](const Seen& seen, httplib::Response& res) {
    auto page = seen.query.find("page");
    if (page == seen.query.end()) return Reply(res, {{"data", {{{"id", 1}, {"x", nullptr}}, {{"id", 2}}}}});
    if (page->second == "1") return Reply(res, {{"data", {{{"id", 3}}}}});
    Reply(res, {{"error", "unexpected"}}, 500);
  });
  auto connector = Connector(kPagedManifest, server);
  Collected sink;
  connector->Read({{"api_key", "k3y-secret"}, {"kind", "a b"}}, Catalog({"items"}), {}, sink);

  EXPECT_THAT(sink.Records("items"),
              ElementsAre(Json{{"id", 1}}, Json{{"id", 2}}, Json{{"id", 3}}));  // null dropped
  std::vector<Seen> seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].path, "/v3/v3/items");  // url_base .../v3 joined with /v3/items
  EXPECT_EQ(seen[0].query.count("page"), 0u);  // PageIncrement from 0: no page on the first request
  EXPECT_EQ(seen[0].query.find("kind")->second, "a b");  // query string in path kept
  EXPECT_EQ(seen[0].query.find("limit")->second, "2");
  EXPECT_EQ(seen[0].query.count("empty"), 0u);  // empty-rendering parameter left out
  EXPECT_EQ(seen[1].query.find("page")->second, "1");
  EXPECT_EQ(seen[0].headers["Authorization"], "Basic YXBpOmszeS1zZWNyZXQ=");  // api:k3y-secret
  EXPECT_THAT(sink.States(), ElementsAre(Json{{"__ab_no_cursor_state_message", true}}));
  auto statuses = sink.Traces(protocol::TraceType::kStreamStatus);
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_EQ(statuses[2].stream_status->status, protocol::StreamStatus::kComplete);
}

TEST(DeclarativeEngineTest, CheckFailsWithTheHttpReasonAndMasksTheKey) {
  LocalServer server([](const Seen&, httplib::Response& res) {
    Reply(res, {{"message", "bad key"}}, 403);
  });
  auto connector = Connector(kPagedManifest, server);
  protocol::ConnectionStatus status = connector->Check({{"api_key", "k3y-secret"}, {"kind", "a"}});
  EXPECT_EQ(status.status, protocol::ConnectionStatusValue::kFailed);
  ASSERT_TRUE(status.message);
  EXPECT_THAT(*status.message, HasSubstr("Stream items is not available"));
  EXPECT_THAT(*status.message, HasSubstr("403"));
  EXPECT_THAT(*status.message, Not(HasSubstr("k3y-secret")));
  EXPECT_EQ(server.seen().size(), 1u);  // 403 is not retried
}

TEST(DeclarativeEngineTest, DiscoverDescribesStreams) {
  LocalServer server([](const Seen&, httplib::Response& res) { Reply(res, Json::object()); });
  auto connector = Connector(kPagedManifest, server);
  protocol::AirbyteCatalog catalog = connector->Discover({{"api_key", "x"}});
  ASSERT_EQ(catalog.streams.size(), 1u);
  EXPECT_EQ(catalog.streams[0].name, "items");
  EXPECT_EQ(catalog.streams[0].json_schema["properties"]["id"]["type"], "integer");
  ASSERT_TRUE(catalog.streams[0].source_defined_primary_key);
  EXPECT_EQ((*catalog.streams[0].source_defined_primary_key)[0], protocol::FieldPath{"id"});
  EXPECT_THAT(catalog.streams[0].supported_sync_modes,
              ElementsAre(protocol::SyncMode::kFullRefresh));
  EXPECT_TRUE(server.seen().empty());
}

constexpr const char* kErrorsManifest = R"(
version: 6.0.0
check: {stream_names: [comics]}
definitions:
  base:
    type: HttpRequester
    url_base: https://api.example.com
streams:
  - type: DeclarativeStream
    name: comics
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/base"
        path: "{{ next_page_token['next_page_token'] or '1/info.json' }}"
        error_handler:
          type: CompositeErrorHandler
          error_handlers:
            - type: DefaultErrorHandler
            - type: DefaultErrorHandler
              response_filters:
                - type: HttpResponseFilter
                  action: IGNORE
                  http_codes: [404]
      record_selector:
        type: RecordSelector
        extractor: {type: DpathExtractor, field_path: []}
      paginator:
        type: DefaultPaginator
        page_token_option: {type: RequestPath}
        pagination_strategy:
          type: CursorPagination
          cursor_value: "{{ response['num'] + 1 }}/info.json"
  - type: DeclarativeStream
    name: limited
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/base"
        path: /limited
        error_handler:
          type: DefaultErrorHandler
          response_filters:
            - type: HttpResponseFilter
              action: FAIL
              failure_type: config_error
              predicate: "{{ response.code == 7 }}"
              error_message: "Plan exhausted: {{ response.detail }}"
      record_selector:
        type: RecordSelector
        extractor: {type: DpathExtractor, field_path: []}
  - type: DeclarativeStream
    name: throttled
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/base"
        path: /throttled
      record_selector:
        type: RecordSelector
        extractor: {type: DpathExtractor, field_path: []}
)";

TEST(DeclarativeEngineTest, ErrorHandlersIgnoreFailAndRetry) {
  LocalServer server([](const Seen& seen, httplib::Response& res) {
    if (seen.path == "/1/info.json") return Reply(res, {{"num", 1}});
    if (seen.path == "/2/info.json") return Reply(res, {{"num", 2}});
    if (seen.path == "/limited") return Reply(res, {{"code", 7}, {"detail", "upgrade"}}, 400);
    if (seen.path == "/throttled") return Reply(res, {{"message", "slow down"}}, 429);
    Reply(res, {{"error", "none"}}, 404);
  });
  int sleeps = 0;
  auto connector = Connector(kErrorsManifest, server, &sleeps);
  Collected sink;
  EXPECT_THROW(connector->Read(Json::object(), Catalog({"comics", "limited", "throttled"}), {}, sink),
               Error);
  // RequestPath pagination ends at the IGNOREd 404, which is not an error.
  EXPECT_THAT(sink.Records("comics"), ElementsAre(Json{{"num", 1}}, Json{{"num", 2}}));
  auto errors = sink.Traces(protocol::TraceType::kError);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].error->message, "Plan exhausted: upgrade");
  EXPECT_EQ(errors[0].error->failure_type, protocol::FailureType::kConfigError);
  EXPECT_EQ(errors[0].error->stream_descriptor->name, "limited");
  EXPECT_EQ(errors[1].error->failure_type, protocol::FailureType::kTransientError);
  EXPECT_EQ(errors[1].error->stream_descriptor->name, "throttled");
  EXPECT_FALSE(errors[2].error->stream_descriptor);  // the sync-level summary
  int throttled = 0;
  for (const Seen& seen : server.seen()) throttled += seen.path == "/throttled";
  EXPECT_EQ(throttled, 6);  // 429: five retries by default
  EXPECT_EQ(sleeps, 5);
}

constexpr const char* kIncrementalManifest = R"(
version: 6.0.0
check: {stream_names: [events]}
streams:
  - type: DeclarativeStream
    name: events
    primary_key: [id]
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: https://api.example.com
        path: /events
        authenticator:
          type: OAuthAuthenticator
          client_id: "{{ config['client_id'] }}"
          client_secret: "{{ config['client_secret'] }}"
          refresh_token: "{{ config['refresh_token'] }}"
          token_refresh_endpoint: https://api.example.com/oauth/token
          refresh_token_updater:
            refresh_token_config_path: [refresh_token]
            access_token_config_path: [access_token]
            token_expiry_date_config_path: [token_expiry_date]
          scopes: [read, "write:all"]
      record_selector:
        type: RecordSelector
        extractor: {type: DpathExtractor, field_path: [items]}
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated
      datetime_format: "%Y-%m-%d"
      start_datetime: "{{ config['start_date'] }}"
      step: P10D
      cursor_granularity: P1D
      start_time_option: {type: RequestOption, inject_into: request_parameter, field_name: since}
      end_time_option: {type: RequestOption, inject_into: request_parameter, field_name: until}
)";

TEST(DeclarativeEngineTest, IncrementalWindowsStateAndOAuthRotation) {
  LocalServer server([](const Seen& seen, httplib::Response& res) {
    if (seen.path == "/oauth/token") {
      return Reply(res, {{"access_token", "acc-123"}, {"expires_in", 3600},
                         {"refresh_token", "refresh-new"}});
    }
    std::string since = seen.query.find("since")->second;
    if (since == "2024-06-10") return Reply(res, {{"items", {{{"id", 1}, {"updated", "2024-06-12"}}}}});
    if (since == "2024-06-20") return Reply(res, {{"items", {{{"id", 2}, {"updated", "2024-06-25"}}}}});
    Reply(res, {{"items", Json::array()}});
  });
  auto connector = Connector(kIncrementalManifest, server);
  Collected sink;
  Json config = {{"client_id", "cid"}, {"client_secret", "csecret"},
                 {"refresh_token", "refresh-old"}, {"start_date", "2024-06-10"}};
  connector->Read(config, Catalog({"events"}, true), {}, sink);

  std::vector<Seen> seen = server.seen();
  ASSERT_EQ(seen.size(), 4u);  // token, then windows 06-10..06-19, 06-20..06-29, 06-30..now
  EXPECT_EQ(seen[0].path, "/oauth/token");
  EXPECT_EQ(seen[0].body,
            "grant_type=refresh_token&client_id=cid&client_secret=csecret&refresh_token=refresh-old"
            "&scopes=read&scopes=write%3Aall");
  EXPECT_EQ(seen[1].headers["Authorization"], "Bearer acc-123");
  EXPECT_EQ(seen[1].query.find("until")->second, "2024-06-19");  // window end = next start - 1 day
  EXPECT_EQ(seen[2].query.find("since")->second, "2024-06-20");
  EXPECT_EQ(seen[2].query.find("until")->second, "2024-06-29");
  EXPECT_EQ(seen[3].query.find("since")->second, "2024-06-30");
  EXPECT_EQ(seen[3].query.find("until")->second, "2024-06-30");  // the last window ends at now
  ASSERT_FALSE(sink.States().empty());
  EXPECT_EQ(sink.States().back(), (Json{{"updated", "2024-06-25"}}));

  std::vector<Json> controls;
  for (const auto& m : sink.messages) {
    if (m.type() == protocol::MessageType::kControl) controls.push_back(m.control().config);
  }
  // One at the refresh and the same config again at the end of the read, as the reference.
  ASSERT_EQ(controls.size(), 2u);
  EXPECT_EQ(controls[1], controls[0]);
  EXPECT_EQ(controls[0]["refresh_token"], "refresh-new");
  EXPECT_EQ(controls[0]["access_token"], "acc-123");
  EXPECT_EQ(controls[0]["token_expiry_date"], "2024-06-30T13:00:00+00:00");
}

TEST(DeclarativeEngineTest, ManifestWithCustomComponentsIsRefused) {
  const char* manifest = R"(
version: 6.0.0
streams:
  - type: DeclarativeStream
    name: s
    retriever:
      type: SimpleRetriever
      requester: {type: HttpRequester, url_base: "https://x"}
      record_selector:
        type: RecordSelector
        extractor: {type: CustomRecordExtractor, class_name: source_x.components.Extractor}
)";
  try {
    MakeDeclarativeConnector(ParseYaml(manifest, "m"), {});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInput);
    EXPECT_THAT(error.message(), HasSubstr("source_x.components.Extractor"));
  }
}

TEST(DeclarativeEngineTest, LinkHeaderParsesLikeRequests) {
  Json links = ParseLinkHeader(
      "<https://api.example.com/x?page=2>; rel=\"next\", <https://api.example.com/x?page=9>; "
      "rel=\"last\"");
  EXPECT_EQ(links["next"]["url"], "https://api.example.com/x?page=2");
  EXPECT_EQ(links["last"]["url"], "https://api.example.com/x?page=9");
  EXPECT_EQ(links["next"]["rel"], "next");
}

constexpr const char* kDependentManifest = R"(
version: 6.0.0
definitions:
  base:
    type: HttpRequester
    url_base: https://api.example.com
  lists:
    type: DeclarativeStream
    name: lists
    retriever:
      type: SimpleRetriever
      requester: {$ref: "#/definitions/base", path: /lists}
      record_selector: {type: RecordSelector, extractor: {type: DpathExtractor, field_path: []}}
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      start_time_option: {type: RequestOption, inject_into: request_parameter, field_name: since}
streams:
  - $ref: "#/definitions/lists"
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: {$ref: "#/definitions/base", path: "/lists/{{ stream_partition.list_id }}/items"}
      record_selector: {type: RecordSelector, extractor: {type: DpathExtractor, field_path: []}}
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - type: ParentStreamConfig
            stream: {$ref: "#/definitions/lists"}
            parent_key: id
            partition_field: list_id
            incremental_dependency: true
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
)";

TEST(DeclarativeEngineTest, IncrementalDependencyResumesTheParentFromTheChildState) {
  LocalServer server([](const Seen& seen, httplib::Response& res) {
    if (seen.path == "/lists") return Reply(res, {{{"id", "L1"}, {"updated", "2024-06-25"}}});
    Reply(res, {{{"id", "i1"}, {"updated", "2024-06-26"}}});
  });
  auto connector = Connector(kDependentManifest, server);
  Collected sink;
  Json state = Json::array({{{"type", "STREAM"},
                             {"stream", {{"stream_descriptor", {{"name", "items"}}},
                                         {"stream_state",
                                          {{"parent_state", {{"lists", {{"updated", "2024-06-20"}}}}}}}}}}});
  connector->Read(Json::object(), Catalog({"items"}, true),
                  protocol::StateArrayFromJson(state), sink);
  std::vector<Seen> seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].path, "/lists");
  EXPECT_EQ(seen[0].query.find("since")->second, "2024-06-20");  // the parent resumed
  EXPECT_EQ(seen[1].path, "/lists/L1/items");
  ASSERT_FALSE(sink.States().empty());
  EXPECT_EQ(sink.States().back()["parent_state"], (Json{{"lists", {{"updated", "2024-06-25"}}}}));
}

// Every corpus manifest: those with custom components are refused by name; all others load,
// spec and discover (with the config of their first conformance case) offline.
TEST(DeclarativeCorpusTest, EveryManifestLoadsSpecsAndDiscovers) {
  AIRBYTE_REQUIRE_SHARED(shared);
  int runnable = 0;
  int refused = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared / "corpus" / "manifests")) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    Json manifest = ReadManifestFile(entry.path() / "manifest.yaml");
    if (!FindCustomComponents(ResolveManifest(manifest)).empty()) {
      EXPECT_THROW(MakeDeclarativeConnector(manifest, {.name = name}), Error);
      ++refused;
      continue;
    }
    ++runnable;
    Json config = Json::object();
    const auto cases = shared / "conformance" / "declarative" / name;
    if (std::filesystem::exists(cases)) {
      std::vector<std::filesystem::path> dirs;
      for (const auto& c : std::filesystem::directory_iterator(cases)) dirs.push_back(c.path());
      std::sort(dirs.begin(), dirs.end());
      config = Json::parse(testutil::ReadText(dirs.front() / "case.json"))["config"];
    }
    auto connector = MakeDeclarativeConnector(manifest, {.name = name});
    protocol::ConnectorSpecification spec = connector->Spec();
    EXPECT_TRUE(spec.connection_specification.contains("properties") ||
                spec.connection_specification.contains("type"));
    protocol::AirbyteCatalog catalog = connector->Discover(config);
    Json resolved = ResolveManifest(manifest);
    ASSERT_EQ(catalog.streams.size(), resolved["streams"].size());
    for (std::size_t i = 0; i < catalog.streams.size(); ++i) {
      EXPECT_EQ(catalog.streams[i].name, resolved["streams"][i]["name"]);
      EXPECT_TRUE(catalog.streams[i].json_schema.is_object());
    }
  }
  EXPECT_EQ(refused, 2);  // source-public-apis and source-zenloop ship components.py
  EXPECT_GE(runnable, 24);
}

}  // namespace
}  // namespace airbyte::declarative
