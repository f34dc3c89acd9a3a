#include "connectors/declarative/yaml_reader.h"

#include <yaml.h>

#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "airbyte/error.h"
#include "connectors/declarative/yaml_scalars.h"

namespace airbyte::declarative {
namespace {

using yaml_detail::ConstructBool;
using yaml_detail::ConstructFloat;
using yaml_detail::ConstructInt;
using yaml_detail::ConstructTimestamp;
using yaml_detail::Fail;
using yaml_detail::Node;
using yaml_detail::NodePtr;
using yaml_detail::ResolvePlainScalar;
using yaml_detail::Tag;

class Composer {
 public:
  Composer(std::string_view text, std::string_view origin) : origin_(origin) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~Composer() { yaml_parser_delete(&parser_); }
  Composer(const Composer&) = delete;
  Composer& operator=(const Composer&) = delete;

  // The single document of the stream, or nullptr for an empty stream.
  NodePtr ComposeSingleDocument() {
    Expect(YAML_STREAM_START_EVENT);
    Event event = Next();
    if (event.get().type == YAML_STREAM_END_EVENT) return nullptr;
    // DOCUMENT-START
    NodePtr root = ComposeNode(Next());
    Expect(YAML_DOCUMENT_END_EVENT);
    anchors_.clear();
    Event end = Next();
    if (end.get().type != YAML_STREAM_END_EVENT) {
      Fail(origin_, "expected a single document in the stream, but found another document",
           end.get().start_mark.line, end.get().start_mark.column);
    }
    return root;
  }

 private:
  // Owns one libyaml event.
  class Event {
   public:
    Event() = default;
    Event(Event&& other) noexcept
        : event_(other.event_), owned_(std::exchange(other.owned_, false)) {}
    Event& operator=(Event&&) = delete;
    ~Event() {
      if (owned_) yaml_event_delete(&event_);
    }
    yaml_event_t& get() { return event_; }
    void set_owned() { owned_ = true; }

   private:
    yaml_event_t event_{};
    bool owned_ = false;
  };

  Event Next() {
    Event event;
    if (yaml_parser_parse(&parser_, &event.get()) == 0) {
      std::string problem = parser_.problem != nullptr ? parser_.problem : "syntax error";
      if (parser_.context != nullptr) problem = std::string(parser_.context) + ": " + problem;
      Fail(origin_, problem, parser_.problem_mark.line, parser_.problem_mark.column);
    }
    event.set_owned();
    return event;
  }

  void Expect(yaml_event_type_t type) {
    Event event = Next();
    if (event.get().type != type) {
      Fail(origin_, "unexpected event", event.get().start_mark.line, event.get().start_mark.column);
    }
  }

  void Anchor(const yaml_char_t* anchor, const NodePtr& node) {
    if (anchor != nullptr) anchors_[reinterpret_cast<const char*>(anchor)] = node;
  }

  static std::string ExplicitTag(const yaml_char_t* tag) {
    if (tag == nullptr) return {};
    std::string text = reinterpret_cast<const char*>(tag);
    return text == "!" ? std::string() : text;
  }

  NodePtr ComposeNode(Event event) {
    yaml_event_t& e = event.get();
    auto node = std::make_shared<Node>();
    node->line = e.start_mark.line;
    node->column = e.start_mark.column;
    switch (e.type) {
      case YAML_ALIAS_EVENT: {
        std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          Fail(origin_, "found undefined alias '" + name + "'", node->line, node->column);
        }
        return it->second;
      }
      case YAML_SCALAR_EVENT: {
        node->value.assign(reinterpret_cast<const char*>(e.data.scalar.value),
                           e.data.scalar.length);
        node->tag = ExplicitTag(e.data.scalar.tag);
        if (node->tag.empty()) {
          // Only plain scalars get implicit types; quoted and block scalars are strings.
          node->tag = e.data.scalar.plain_implicit != 0 && e.data.scalar.tag == nullptr
                          ? ResolvePlainScalar(node->value)
                          : Tag("str");
        }
        Anchor(e.data.scalar.anchor, node);
        return node;
      }
      case YAML_SEQUENCE_START_EVENT: {
        node->kind = Node::Kind::kSequence;
        node->tag = ExplicitTag(e.data.sequence_start.tag);
        if (node->tag.empty()) node->tag = Tag("seq");
        Anchor(e.data.sequence_start.anchor, node);
        while (true) {
          Event item = Next();
          if (item.get().type == YAML_SEQUENCE_END_EVENT) break;
          node->items.push_back(ComposeNode(std::move(item)));
        }
        return node;
      }
      case YAML_MAPPING_START_EVENT: {
        node->kind = Node::Kind::kMapping;
        node->tag = ExplicitTag(e.data.mapping_start.tag);
        if (node->tag.empty()) node->tag = Tag("map");
        Anchor(e.data.mapping_start.anchor, node);
        while (true) {
          Event key = Next();
          if (key.get().type == YAML_MAPPING_END_EVENT) break;
          NodePtr key_node = ComposeNode(std::move(key));
          NodePtr value_node = ComposeNode(Next());
          node->pairs.emplace_back(std::move(key_node), std::move(value_node));
        }
        return node;
      }
      default:
        Fail(origin_, "unexpected event", node->line, node->column);
    }
  }

  yaml_parser_t parser_{};
  std::string_view origin_;
  std::unordered_map<std::string, NodePtr> anchors_;
};
class Constructor {
 public:
  explicit Constructor(std::string_view origin) : origin_(origin) {}

  Json Construct(const NodePtr& node) {
    if (!active_.insert(node.get()).second) {
      Fail(origin_, "recursive alias (the anchored node contains itself)", node->line,
           node->column);
    }
    Json value = ConstructUnchecked(*node);
    active_.erase(node.get());
    return value;
  }

 private:
  Json ConstructUnchecked(const Node& node) {
    const std::string& tag = node.tag;
    if (node.kind == Node::Kind::kScalar) {
      if (tag == Tag("str")) return node.value;
      if (tag == Tag("null")) return nullptr;
      if (tag == Tag("bool")) return ConstructBool(node, origin_);
      if (tag == Tag("int")) return ConstructInt(node, origin_);
      if (tag == Tag("float")) return ConstructFloat(node, origin_);
      if (tag == Tag("timestamp")) return ConstructTimestamp(node, origin_);
    } else if (node.kind == Node::Kind::kSequence) {
      if (tag == Tag("seq")) {
        Json array = Json::array();
        for (const NodePtr& item : node.items) array.push_back(Construct(item));
        return array;
      }
    } else if (tag == Tag("map") || tag == Tag("set")) {
      Json object = Json::object();
      for (const auto& [key, value] : FlattenMapping(node)) {
        object[KeyText(key)] = tag == Tag("set") ? Json(nullptr) : Construct(value);
      }
      return object;
    }
    Fail(origin_, "could not determine a constructor for the tag '" + tag + "'", node.line,
         node.column);
  }

  // SafeConstructor.flatten_mapping: merged pairs first (earlier `<<` sources before later
  // ones; within a list, later mappings first, so earlier ones win), then the own pairs.
  std::vector<std::pair<NodePtr, NodePtr>> FlattenMapping(const Node& node) {
    std::vector<std::pair<NodePtr, NodePtr>> merged;
    std::vector<std::pair<NodePtr, NodePtr>> own;
    for (const auto& [key, value] : node.pairs) {
      if (key->kind != Node::Kind::kScalar || key->tag != Tag("merge")) {
        own.emplace_back(key, value);
        continue;
      }
      if (value->kind == Node::Kind::kMapping) {
        auto sub = FlattenMapping(*value);
        merged.insert(merged.end(), sub.begin(), sub.end());
      } else if (value->kind == Node::Kind::kSequence) {
        std::vector<std::vector<std::pair<NodePtr, NodePtr>>> subs;
        for (const NodePtr& item : value->items) {
          if (item->kind != Node::Kind::kMapping) {
            Fail(origin_, "expected a mapping for merging", item->line, item->column);
          }
          subs.push_back(FlattenMapping(*item));
        }
        for (auto it = subs.rbegin(); it != subs.rend(); ++it) {
          merged.insert(merged.end(), it->begin(), it->end());
        }
      } else {
        Fail(origin_, "expected a mapping or list of mappings for merging", value->line,
             value->column);
      }
    }
    merged.insert(merged.end(), own.begin(), own.end());
    return merged;
  }

  // The key text json.dumps writes for a Python dict key.
  std::string KeyText(const NodePtr& key) {
    if (key->kind != Node::Kind::kScalar) {
      Fail(origin_, "found unhashable key (a mapping or sequence)", key->line, key->column);
    }
    if (key->tag == Tag("value")) return key->value;  // flatten_mapping makes `=` keys strings
    Json value = Construct(key);
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_float()) {
      double d = value.get<double>();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    }
    return value.dump();
  }

  std::string_view origin_;
  std::unordered_set<const Node*> active_;
};

}  // namespace

Json ParseYaml(std::string_view text, std::string_view origin) {
  Composer composer(text, origin);
  NodePtr root = composer.ComposeSingleDocument();
  if (root == nullptr) return nullptr;
  return Constructor(origin).Construct(root);
}

}  // namespace airbyte::declarative
