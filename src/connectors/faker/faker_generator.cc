#include "connectors/faker/faker_generator.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <string_view>
#include <utility>

#include "connectors/faker/faker_words.h"

namespace airbyte::connectors {
namespace {

namespace words = faker_words;
using protocol::FieldValue;
using protocol::RawJson;
using protocol::TypedRecord;

constexpr std::int64_t kSecondsPerDay = 86'400;

__extension__ using Uint128 = unsigned __int128;  // GCC/Clang; for multiply-high

// Stream tags mixed into the per-record seeds, so users, purchases and products with the same
// index draw unrelated values.
constexpr std::uint64_t kUsersTag = 0x75736572'73000001ULL;
constexpr std::uint64_t kPurchasesTag = 0x70757263'68000002ULL;
constexpr std::uint64_t kProductsSeed = 0x70726f64'75637473ULL;

// splitmix64's finalizer: a bijective 64-bit mix.
constexpr std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// splitmix64: tiny, fast, and identical on every platform (unlike std:: distributions).
class Rng {
 public:
  explicit Rng(std::uint64_t state) : state_(state) {}
  Rng(std::uint64_t seed, std::uint64_t tag, std::int64_t index)
      : state_(Mix(seed ^ Mix(tag + static_cast<std::uint64_t>(index)))) {}

  std::uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by multiply-high; the bias (< n / 2^64) is irrelevant for fake data.
  std::uint64_t Below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  std::int64_t Range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Below(N)];
  }

 private:
  std::uint64_t state_;
};

// ---- civil time (proleptic Gregorian, UTC), after Howard Hinnant's date algorithms --------

struct Civil {
  int year;
  int month;
  int day;
};

constexpr std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy =
      (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2);
  return {y, m, d};
}

constexpr int DaysInMonth(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// "00".."99", so dates are written two digits per step.
constexpr std::array<char, 200> kTwoDigits = [] {
  std::array<char, 200> table{};
  for (int i = 0; i < 100; ++i) {
    table[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    table[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return table;
}();

char* Write2(char* out, std::int64_t value) {
  std::memcpy(out, &kTwoDigits[static_cast<std::size_t>(2 * value)], 2);
  return out + 2;
}

char* WriteDigits(char* out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DDTHH:MM:SS" (19 chars) for epoch seconds.
char* WriteDateTime(char* out, std::int64_t epoch_seconds) {
  const std::int64_t days = FloorDiv(epoch_seconds, kSecondsPerDay);
  const std::int64_t secs = epoch_seconds - days * kSecondsPerDay;
  const Civil civil = CivilFromDays(days);
  out = Write2(out, civil.year / 100);
  out = Write2(out, civil.year % 100);
  *out++ = '-';
  out = Write2(out, civil.month);
  *out++ = '-';
  out = Write2(out, civil.day);
  *out++ = 'T';
  out = Write2(out, secs / 3600);
  *out++ = ':';
  out = Write2(out, secs / 60 % 60);
  *out++ = ':';
  return Write2(out, secs % 60);
}

// format_airbyte_time: second precision, "+00:00" appended literally.
char* WriteAirbyteTime(char* out, std::int64_t epoch_seconds) {
  return std::copy_n("+00:00", 6, WriteDateTime(out, epoch_seconds));
}

std::string AirbyteTime(std::int64_t epoch_seconds) {
  char buffer[32];
  return std::string(buffer, WriteAirbyteTime(buffer, epoch_seconds));
}

// A mimesis-like Datetime.datetime(): year uniform in [2000, current_year], then month, day
// within that month, and time of day with microseconds. A value after `now` (possible in the
// current year) moves one year back, so updated_at (now) is never before created_at.
struct RandomTime {
  std::int64_t seconds;
  std::int64_t micros;
};

RandomTime RandomDateTime(Rng& rng, int current_year, std::int64_t now) {
  int year = static_cast<int>(rng.Range(2000, current_year));
  const int month = static_cast<int>(rng.Range(1, 12));
  int day = static_cast<int>(rng.Range(1, DaysInMonth(year, month)));
  const std::int64_t second_of_day = rng.Range(0, kSecondsPerDay - 1);
  const std::int64_t micros = rng.Range(0, 999'999);
  std::int64_t seconds = DaysFromCivil(year, month, day) * kSecondsPerDay + second_of_day;
  if (seconds > now) {
    --year;
    day = std::min(day, DaysInMonth(year, month));
    seconds = DaysFromCivil(year, month, day) * kSecondsPerDay + second_of_day;
  }
  return {seconds, micros};
}

// A value a whole number of days after `from`: uniform in [0, D] days, D = whole days from
// `from` to now but at least 2 (so it may land slightly after now, as in Python).
std::int64_t AddRandomDays(Rng& rng, std::int64_t from, std::int64_t now) {
  const std::int64_t span = std::max<std::int64_t>(2, FloorDiv(now - from, kSecondsPerDay));
  return from + rng.Range(0, span) * kSecondsPerDay;
}

// Sets a value to a string, reusing the string's buffer when the value already holds one (a
// TypedRecord filled again keeps its capacity).
void SetString(FieldValue& value, std::string_view text) {
  if (auto* existing = std::get_if<std::string>(&value)) {
    existing->assign(text.data(), text.size());
  } else {
    value.emplace<std::string>(text);
  }
}

void SetString(FieldValue& value, const char* begin, const char* end) {
  SetString(value, std::string_view(begin, static_cast<std::size_t>(end - begin)));
}

void SetRawJson(FieldValue& value, const char* begin, const char* end) {
  if (auto* existing = std::get_if<RawJson>(&value)) {
    existing->text.assign(begin, end);
  } else {
    value.emplace<RawJson>(RawJson{std::string(begin, end)});
  }
}

void SetAirbyteTime(FieldValue& value, std::int64_t epoch_seconds) {
  char buffer[32];
  SetString(value, buffer, WriteAirbyteTime(buffer, epoch_seconds));
}

// Copies `text` to `out` (the caller's buffer is large enough); returns the end.
char* Put(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

FieldList MakeFields(std::initializer_list<const char*> names) {
  return std::make_shared<const std::vector<std::string>>(names.begin(), names.end());
}

struct ProductRow {
  std::string_view make;
  std::string_view model;
  std::int64_t year;
  std::int64_t price;
  std::string created_at;
};

// The fixed product table: 100 cars drawn once from kCarModels with a constant seed, so it is
// the same in every process. created_at lies in 2021-2022; ids 87 and 94 carry a space
// instead of 'T', reproducing the quirk of the Python connector's data file.
const std::array<ProductRow, kFakerProductCount>& Products() {
  static const std::array<ProductRow, kFakerProductCount> table = [] {
    std::array<ProductRow, kFakerProductCount> rows;
    Rng rng(kProductsSeed);
    const std::int64_t first_day = DaysFromCivil(2021, 1, 1);
    const std::int64_t day_count = DaysFromCivil(2023, 1, 1) - first_day;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const words::CarModel& car = rng.Pick(words::kCarModels);
      rows[i].make = car.make;
      rows[i].model = car.model;
      rows[i].year = rng.Range(1965, 2014);
      rows[i].price = rng.Range(2087, 98732);
      const std::int64_t day = first_day + rng.Range(0, day_count - 1);
      rows[i].created_at = AirbyteTime(day * kSecondsPerDay + rng.Range(0, kSecondsPerDay - 1));
      const std::int64_t id = static_cast<std::int64_t>(i) + 1;
      if (id == 87 || id == 94) rows[i].created_at[10] = ' ';
    }
    return rows;
  }();
  return table;
}

}  // namespace

FakerGenerator::FakerGenerator(std::uint64_t seed) : seed_(Mix(seed)) { RefreshClock(); }

const FieldList& FakerGenerator::UserFields() {
  static const FieldList fields =
      MakeFields({"id", "created_at", "updated_at", "name", "title", "age", "email", "telephone",
                  "gender", "language", "academic_degree", "nationality", "occupation", "height",
                  "blood_type", "weight", "address"});
  return fields;
}

const FieldList& FakerGenerator::PurchaseFields() {
  static const FieldList fields =
      MakeFields({"id", "product_id", "user_id", "created_at", "updated_at", "added_to_cart_at",
                  "purchased_at", "returned_at"});
  return fields;
}

const FieldList& FakerGenerator::ProductFields() {
  static const FieldList fields =
      MakeFields({"id", "make", "model", "year", "price", "created_at", "updated_at"});
  return fields;
}

int FakerGenerator::PurchaseCountForUser(std::int64_t user_index) {
  switch (user_index % 10) {
    case 6:
      return 0;
    case 8:
      return 2;
    default:
      return 1;
  }
}

std::int64_t FakerGenerator::PurchaseId(std::int64_t user_index, int slot) {
  // Digit 7 takes the id left free by digit 6; digit 8 takes u and u + 1.
  const std::int64_t digit = user_index % 10;
  if (digit == 7 || digit == 8) return user_index + slot;
  return user_index + 1;
}

std::int64_t FakerGenerator::PurchaseTotal(std::int64_t count) {
  const std::int64_t digit = count % 10;
  return digit == 7 || digit == 8 ? count - 1 : count;
}

void FakerGenerator::RefreshClock() {
  SetNow(std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count());
}

void FakerGenerator::SetNow(std::int64_t epoch_seconds) {
  if (epoch_seconds == now_ && !updated_at_.empty()) return;
  now_ = epoch_seconds;
  current_year_ = CivilFromDays(FloorDiv(now_, kSecondsPerDay)).year;
  updated_at_ = AirbyteTime(now_);
}

void FakerGenerator::FillUser(std::int64_t index, TypedRecord& out) const {
  Rng rng(seed_, kUsersTag, index);
  const std::int64_t id = index + 1;
  out.fields = UserFields();
  std::vector<FieldValue>& values = out.values;
  values.resize(17);  // assigned in place below: no per-field capacity checks or moves

  values[0] = id;
  SetAirbyteTime(values[1], RandomDateTime(rng, current_year_, now_).seconds);
  SetString(values[2], updated_at_);
  SetString(values[3], rng.Pick(words::kFirstNames));
  SetString(values[4], rng.Pick(words::kTitles));
  values[5] = rng.Range(16, 66);
  {  // <word><4 digits>+<id>@<domain>
    char buffer[96];
    const std::string_view word = rng.Pick(words::kEmailWords);
    char* p = Put(buffer, word);
    p = WriteDigits(p, rng.Range(1940, 2023), 4);
    *p++ = '+';
    char digits[24];
    char* d = digits + sizeof digits;
    std::uint64_t rest = static_cast<std::uint64_t>(id);
    do {
      *--d = static_cast<char>('0' + rest % 10);
      rest /= 10;
    } while (rest != 0);
    p = Put(p, std::string_view(d, static_cast<std::size_t>(digits + sizeof digits - d)));
    *p++ = '@';
    p = Put(p, rng.Pick(words::kEmailDomains));
    SetString(values[6], buffer, p);
  }
  {
    const std::string_view mask = rng.Pick(words::kTelephoneMasks);
    char buffer[32];
    for (std::size_t i = 0; i < mask.size(); ++i) {
      buffer[i] = mask[i] == '#' ? static_cast<char>('0' + rng.Below(10)) : mask[i];
    }
    SetString(values[7], buffer, buffer + mask.size());
  }
  SetString(values[8], rng.Pick(words::kGenders));
  SetString(values[9], rng.Pick(words::kLanguages));
  SetString(values[10], rng.Pick(words::kAcademicDegrees));
  SetString(values[11], rng.Pick(words::kNationalities));
  SetString(values[12], rng.Pick(words::kOccupations));
  {
    const std::int64_t centimetres = rng.Range(150, 200);
    char buffer[4] = {static_cast<char>('0' + centimetres / 100), '.', 0, 0};
    Write2(buffer + 2, centimetres % 100);
    SetString(values[13], buffer, buffer + sizeof buffer);
  }
  SetString(values[14], rng.Pick(words::kBloodTypes));
  values[15] = rng.Range(38, 90);
  {  // The address object, written into a stack buffer (every word-list entry is escape-free)
     // and copied into its string once: appending piecewise to a std::string was ~20% of the
     // time per user.
    char buffer[320];
    char* p = buffer;
    const std::int64_t street_number = rng.Range(1, 9999);
    const int width = street_number >= 1000  ? 4
                      : street_number >= 100 ? 3
                      : street_number >= 10  ? 2
                                             : 1;
    p = Put(p, R"({"street_number":")");
    p = WriteDigits(p, street_number, width);
    p = Put(p, R"(","street_name":")");
    p = Put(p, rng.Pick(words::kStreetNames));
    p = Put(p, R"(","city":")");
    p = Put(p, rng.Pick(words::kCities));
    p = Put(p, R"(","state":")");
    p = Put(p, rng.Pick(words::kStates));
    p = Put(p, R"(","province":")");
    p = Put(p, rng.Pick(words::kProvinces));
    p = Put(p, R"(","postal_code":")");
    p = WriteDigits(p, rng.Range(0, 99'999), 5);
    p = Put(p, R"(","country_code":")");
    p = Put(p, rng.Pick(words::kCountryCodes));
    p = Put(p, R"("})");
    SetRawJson(values[16], buffer, p);
  }
}

void FakerGenerator::FillPurchase(std::int64_t user_index, int slot, TypedRecord& out) const {
  const std::int64_t id = PurchaseId(user_index, slot);
  Rng rng(seed_, kPurchasesTag, id);
  out.fields = PurchaseFields();
  std::vector<FieldValue>& values = out.values;
  values.resize(8);

  values[0] = id;
  values[1] = rng.Range(1, kFakerProductCount);
  values[2] = user_index + 1;

  // The earlier of two random datetimes, written as Python's datetime.isoformat(): no offset,
  // microseconds unless they are zero (the Python connector skips format_airbyte_time here).
  const RandomTime first = RandomDateTime(rng, current_year_, now_);
  const RandomTime second = RandomDateTime(rng, current_year_, now_);
  const RandomTime created =
      std::pair(first.seconds, first.micros) <= std::pair(second.seconds, second.micros) ? first
                                                                                         : second;
  {
    char buffer[32];
    char* p = WriteDateTime(buffer, created.seconds);
    if (created.micros != 0) {
      *p++ = '.';
      p = WriteDigits(p, created.micros, 6);
    }
    SetString(values[3], buffer, p);
  }
  SetString(values[4], updated_at_);

  const std::int64_t added_to_cart = AddRandomDays(rng, created.seconds, now_);
  SetAirbyteTime(values[5], added_to_cart);
  values[6] = std::monostate{};
  values[7] = std::monostate{};
  if (rng.Below(100) < 70) {
    const std::int64_t purchased = AddRandomDays(rng, added_to_cart, now_);
    SetAirbyteTime(values[6], purchased);
    if (rng.Below(100) < 15) SetAirbyteTime(values[7], AddRandomDays(rng, purchased, now_));
  }
}

void FakerGenerator::FillProduct(std::int64_t index, TypedRecord& out) const {
  const ProductRow& row = Products()[static_cast<std::size_t>(index)];
  out.fields = ProductFields();
  std::vector<FieldValue>& values = out.values;
  values.resize(7);
  values[0] = index + 1;
  SetString(values[1], row.make);
  SetString(values[2], row.model);
  values[3] = row.year;
  values[4] = row.price;
  SetString(values[5], row.created_at);
  SetString(values[6], updated_at_);
}

}  // namespace airbyte::connectors
