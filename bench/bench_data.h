#pragma once

// Benchmark inputs: RECORD lines shaped like source-faker's `users` stream
// (../shared/docs/source-faker.md, section 4), deterministic and varied.

#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>

namespace airbyte::bench {

/// The `data` object of users record number `id` (~500 bytes), keys in faker's order.
inline std::string UsersData(std::int64_t id, std::mt19937_64& rng) {
  static constexpr std::array<std::string_view, 8> kNames = {
      "Kelly", "Jerome", "Rosalind", "Tod", "Marcelino", "Sha", "Georgianna", "Ali"};
  static constexpr std::array<std::string_view, 6> kTitles = {"Mr.",        "Miss", "Madam",
                                                              "M.Sc.Tech.", "PhD",  "DPhil"};
  static constexpr std::array<std::string_view, 5> kDomains = {
      "yahoo.com", "gmail.com", "protonmail.com", "outlook.com", "yandex.com"};
  static constexpr std::array<std::string_view, 4> kGenders = {"Male", "Female", "Other", "Fluid"};
  static constexpr std::array<std::string_view, 6> kLanguages = {
      "Armenian", "Swahili", "Portuguese", "Hindi", "Icelandic", "Tamil"};
  static constexpr std::array<std::string_view, 3> kDegrees = {"Bachelor", "Master", "PhD"};
  static constexpr std::array<std::string_view, 6> kNationalities = {
      "Chilean", "Ukrainian", "Japanese", "Nigerian", "Belgian", "Peruvian"};
  static constexpr std::array<std::string_view, 6> kOccupations = {
      "Production Manager", "Radiographer", "Tree Surgeon",
      "Bookkeeper",         "Dental Nurse", "Structural Engineer"};
  // The minus is U+2212, escaped as the Python CDK writes it.
  static constexpr std::array<std::string_view, 8> kBloodTypes = {
      "A+", "A\\u2212", "B+", "B\\u2212", "AB+", "AB\\u2212", "O+", "O\\u2212"};
  static constexpr std::array<std::string_view, 6> kStreets = {
      "Lakeside Parkway", "Saint Francis Alley", "Wharf Road",
      "Emerald Heights",  "Chestnut Terrace",    "Mill Crossing"};
  static constexpr std::array<std::string_view, 6> kCities = {
      "Shelbyville", "Lakewood", "Fort Wayne", "San Bernardino", "Yonkers", "Oxnard"};
  static constexpr std::array<std::string_view, 6> kStates = {"Idaho",   "Maine", "Texas",
                                                              "Vermont", "Ohio",  "Nevada"};
  static constexpr std::array<std::string_view, 4> kProvinces = {"Ontario", "Quebec", "Yukon",
                                                                 "Manitoba"};
  static constexpr std::array<std::string_view, 6> kCountries = {"FR", "US", "DE",
                                                                 "JP", "BR", "NG"};
  auto pick = [&rng](const auto& options) { return options[rng() % options.size()]; };
  auto number = [&rng](int low, int high) {
    return low + static_cast<int>(rng() % (high - low + 1));
  };

  char created[40];
  std::snprintf(created, sizeof created, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", number(2000, 2024),
                number(1, 12), number(1, 28), number(0, 23), number(0, 59), number(0, 59));
  char telephone[24];
  std::snprintf(telephone, sizeof telephone, "+1-(%03d)-%03d-%04d", number(100, 999),
                number(100, 999), number(0, 9999));
  char height[8];
  std::snprintf(height, sizeof height, "%d.%02d", number(1, 1), number(50, 99));

  std::string out;
  out.reserve(640);
  out += "{\"id\":" + std::to_string(id);
  out += ",\"created_at\":\"" + std::string(created) + "\"";
  out += ",\"updated_at\":\"2025-01-01T00:00:00+00:00\"";
  out += ",\"name\":\"" + std::string(pick(kNames)) + "\"";
  out += ",\"title\":\"" + std::string(pick(kTitles)) + "\"";
  out += ",\"age\":" + std::to_string(number(16, 66));
  out += ",\"email\":\"stick" + std::to_string(number(1950, 2010)) + "+" + std::to_string(id) +
         "@" + std::string(pick(kDomains)) + "\"";
  out += ",\"telephone\":\"" + std::string(telephone) + "\"";
  out += ",\"gender\":\"" + std::string(pick(kGenders)) + "\"";
  out += ",\"language\":\"" + std::string(pick(kLanguages)) + "\"";
  out += ",\"academic_degree\":\"" + std::string(pick(kDegrees)) + "\"";
  out += ",\"nationality\":\"" + std::string(pick(kNationalities)) + "\"";
  out += ",\"occupation\":\"" + std::string(pick(kOccupations)) + "\"";
  out += ",\"height\":\"" + std::string(height) + "\"";
  out += ",\"blood_type\":\"" + std::string(pick(kBloodTypes)) + "\"";
  out += ",\"weight\":" + std::to_string(number(38, 90));
  out += ",\"address\":{\"street_number\":\"" + std::to_string(number(1, 99999)) + "\"";
  out += ",\"street_name\":\"" + std::string(pick(kStreets)) + "\"";
  out += ",\"city\":\"" + std::string(pick(kCities)) + "\"";
  out += ",\"state\":\"" + std::string(pick(kStates)) + "\"";
  out += ",\"province\":\"" + std::string(pick(kProvinces)) + "\"";
  out += ",\"postal_code\":\"" + std::to_string(number(10000, 99999)) + "\"";
  out += ",\"country_code\":\"" + std::string(pick(kCountries)) + "\"}}";
  return out;
}

/// A whole users RECORD line (~600 bytes, no '\n').
inline std::string UsersRecordLine(std::int64_t id, std::mt19937_64& rng) {
  return R"({"type":"RECORD","record":{"stream":"users","data":)" + UsersData(id, rng) +
         R"(,"emitted_at":)" + std::to_string(1735689600000 + id) + "}}";
}

}  // namespace airbyte::bench
