#include "connectors/declarative/transformations.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "airbyte/error.h"
#include "connectors/declarative/component_util.h"
#include "connectors/declarative/dpath.h"
#include "connectors/declarative/key_transformations.h"

namespace airbyte::declarative {
namespace {

std::string RequireString(const Json& component, std::string_view field, std::string_view type) {
  const Json& v = Field(component, field);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();  // pydantic coerces numbers to str
  throw Error(ErrorKind::kInput, std::string(type) + " needs a string `" + std::string(field) + "`.",
              {.context = {{"component", component.dump()}}});
}

std::optional<std::string> OptionalCondition(const Json& component) {
  const Json& c = Field(component, "condition");
  if (c.is_string() && !c.get<std::string>().empty()) return c.get<std::string>();
  return std::nullopt;
}

dpath::Path LiteralPath(const Json& segments, std::string_view what) {
  if (!segments.is_array() || segments.empty()) {
    throw Error(ErrorKind::kInput, std::string(what) + " must be a non-empty list of keys.",
                {.context = {{"path", segments.dump()}}});
  }
  dpath::Path path;
  for (const Json& s : segments) path.push_back(s.is_string() ? s.get<std::string>() : s.dump());
  return path;
}

ValidTypes ValueType(const Json& value_type) {
  if (value_type.is_null()) return ValidTypes::kAny;
  std::string name = value_type.is_string() ? value_type.get<std::string>() : value_type.dump();
  // model_to_component_factory's JSON-schema type name -> Python type.
  if (name == "string") return ValidTypes::kStr;
  if (name == "number") return ValidTypes::kFloat;
  if (name == "integer") return ValidTypes::kInt;
  if (name == "boolean") return ValidTypes::kBool;
  throw Error(ErrorKind::kInput, "Unsupported AddedFieldDefinition value_type: " + name + ".");
}

class AddFields final : public Transformation {
 public:
  explicit AddFields(const Json& component)
      : parameters_(Field(component, "$parameters")), condition_(OptionalCondition(component)) {
    const Json& fields = Field(component, "fields");
    if (!fields.is_array()) {
      throw Error(ErrorKind::kInput, "AddFields needs a list of `fields`.",
                  {.context = {{"component", component.dump()}}});
    }
    for (const Json& f : fields) {
      fields_.push_back({.path = LiteralPath(Field(f, "path"), "An AddFields path"),
                         .path_json = Field(f, "path"),
                         .value = RequireString(f, "value", "AddedFieldDefinition"),
                         .valid_types = ValueType(Field(f, "value_type"))});
    }
  }

  void Apply(Json& record, const Json& context, Interpolator& interpolator) const override {
    Json ctx = ComponentContext(Json{{"$parameters", parameters_}}, context);
    for (const Parsed& f : fields_) {
      // The record is lent to the context, not copied; it comes back before it is written.
      ctx["record"] = std::move(record);
      Json value;
      try {
        value = interpolator.Eval(f.value, ctx,
                                  {.default_template = f.value, .valid_types = f.valid_types});
      } catch (...) {
        record = std::move(ctx["record"]);
        throw;
      }
      bool keep = true;
      if (condition_) {
        ctx["value"] = value;
        ctx["path"] = f.path_json;
        try {
          keep = interpolator.EvalBoolean(*condition_, ctx);
        } catch (...) {
          record = std::move(ctx["record"]);
          throw;
        }
        ctx.erase("value");  // only the condition sees value and path
        ctx.erase("path");
      }
      record = std::move(ctx["record"]);
      if (keep) dpath::New(record, f.path, std::move(value));
    }
  }

 private:
  struct Parsed {
    dpath::Path path;
    Json path_json;
    std::string value;
    ValidTypes valid_types = ValidTypes::kAny;
  };
  Json parameters_;
  std::optional<std::string> condition_;
  std::vector<Parsed> fields_;
};

class RemoveFields final : public Transformation {
 public:
  explicit RemoveFields(const Json& component)
      : parameters_(Field(component, "$parameters")), condition_(OptionalCondition(component)) {
    const Json& pointers = Field(component, "field_pointers");
    if (!pointers.is_array()) {
      throw Error(ErrorKind::kInput, "RemoveFields needs a list of `field_pointers`.",
                  {.context = {{"component", component.dump()}}});
    }
    for (const Json& p : pointers) pointers_.push_back(LiteralPath(p, "A RemoveFields pointer"));
  }

  void Apply(Json& record, const Json& context, Interpolator& interpolator) const override {
    std::function<bool(const Json&)> filter;
    Json ctx;
    if (condition_) {
      // The CDK evaluates the condition with config, parameters and `property` only.
      ctx = Json{{"config", Field(context, "config")},
                 {"parameters", parameters_.is_object() ? parameters_ : Json::object()}};
      filter = [&](const Json& property) {
        ctx["property"] = property;
        return interpolator.EvalBoolean(*condition_, ctx);
      };
    }
    for (const dpath::Path& pointer : pointers_) dpath::Delete(record, pointer, filter);
  }

 private:
  Json parameters_;
  std::optional<std::string> condition_;
  std::vector<dpath::Path> pointers_;
};

class DpathFlattenFields final : public Transformation {
 public:
  explicit DpathFlattenFields(const Json& component)
      : component_(component),
        delete_origin_(Field(component, "delete_origin_value").is_boolean() &&
                       Field(component, "delete_origin_value").get<bool>()),
        replace_record_(Field(component, "replace_record").is_boolean() &&
                        Field(component, "replace_record").get<bool>()) {
    if (!Field(component, "field_path").is_array()) {
      throw Error(ErrorKind::kInput, "DpathFlattenFields needs a `field_path` list.",
                  {.context = {{"component", component.dump()}}});
    }
    const Json& kt = Field(component, "key_transformation");
    if (kt.is_object()) {
      prefix_ = Field(kt, "prefix").is_string() ? Field(kt, "prefix").get<std::string>() : "";
      suffix_ = Field(kt, "suffix").is_string() ? Field(kt, "suffix").get<std::string>() : "";
    }
  }

  void Apply(Json& record, const Json& context, Interpolator& interpolator) const override {
    dpath::Path path = EvalPath(Field(component_, "field_path"), interpolator,
                                ComponentContext(component_, context));
    const Json* found = nullptr;
    if (std::find(path.begin(), path.end(), "*") != path.end()) {
      std::vector<const Json*> matches = dpath::Values(record, path);
      if (!matches.empty()) found = matches.front();
    } else {
      found = dpath::Get(record, path);
    }
    if (found == nullptr || !found->is_object()) return;
    Json extracted = Json::object();
    for (const auto& [key, value] : found->items()) extracted[prefix_ + key + suffix_] = value;
    if (replace_record_ && !extracted.empty()) {
      record = std::move(extracted);
      return;
    }
    for (const auto& item : extracted.items()) {
      if (record.contains(item.key())) return;  // any conflict: no change at all
    }
    if (delete_origin_) dpath::Delete(record, path);
    for (auto& item : extracted.items()) record[item.key()] = std::move(item.value());
  }

 private:
  Json component_;
  bool delete_origin_;
  bool replace_record_;
  std::string prefix_;
  std::string suffix_;
};

}  // namespace

std::unique_ptr<Transformation> MakeTransformation(const Json& component) {
  std::string type = ComponentType(component);
  if (type == "AddFields") return std::make_unique<AddFields>(component);
  if (type == "RemoveFields") return std::make_unique<RemoveFields>(component);
  if (type == "DpathFlattenFields") return std::make_unique<DpathFlattenFields>(component);
  if (std::unique_ptr<Transformation> keys = MakeKeyTransformation(component)) return keys;
  throw Error(ErrorKind::kInput,
              "Unsupported transformation type: " + (type.empty() ? "(none)" : type) + ".",
              {.guidance = "Supported: AddFields, RemoveFields, DpathFlattenFields, "
                           "FlattenFields, KeysToLower, KeysToSnakeCase, KeysReplace."});
}

Transformations::Transformations(const Json& list_or_null, Interpolator& interpolator)
    : interpolator_(&interpolator) {
  if (list_or_null.is_null()) return;
  if (!list_or_null.is_array()) {
    throw Error(ErrorKind::kInput, "A stream's `transformations` must be a list.");
  }
  for (const Json& component : list_or_null) items_.push_back(MakeTransformation(component));
}

Transformations::~Transformations() = default;
Transformations::Transformations(Transformations&&) noexcept = default;

void Transformations::Apply(Json& record, const Json& context) const {
  for (const auto& t : items_) t->Apply(record, context, *interpolator_);
}

}  // namespace airbyte::declarative
