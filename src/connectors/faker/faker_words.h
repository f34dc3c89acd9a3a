#pragma once

// Word lists for the faker generator: the project's own small vocabularies, shaped like the
// English (Locale.EN) values of mimesis that the Python connector uses. Internal to
// src/connectors/faker; every entry is plain text that needs no JSON escaping (the address
// object is written without an escaper, and a test checks this).

#include <array>
#include <string_view>

namespace airbyte::connectors::faker_words {

inline constexpr std::array<std::string_view, 48> kFirstNames = {
    "James",   "Mary",    "Robert",  "Patricia", "John",    "Jennifer", "Michael", "Linda",
    "David",   "Barbara", "William", "Susan",    "Richard", "Jessica",  "Joseph",  "Sarah",
    "Thomas",  "Karen",   "Charles", "Nancy",    "Daniel",  "Lisa",     "Matthew", "Betty",
    "Anthony", "Sandra",  "Mark",    "Ashley",   "Donald",  "Kimberly", "Steven",  "Emily",
    "Paul",    "Donna",   "Andrew",  "Michelle", "Joshua",  "Carol",    "Kenneth", "Amanda",
    "Kevin",   "Melissa", "Brian",   "Deborah",  "Tyson",   "Hilda",    "Wendell", "Odessa"};

inline constexpr std::array<std::string_view, 12> kTitles = {"Mr.",   "Mrs.",  "Miss", "Ms.",
                                                             "Madam", "Sir",   "PhD",  "M.Sc.Tech.",
                                                             "MMath", "DPhil", "M.D.", "B.Sc."};

inline constexpr std::array<std::string_view, 4> kGenders = {"Male", "Female", "Other", "Fluid"};

inline constexpr std::array<std::string_view, 24> kLanguages = {
    "English", "Spanish", "French",   "German",  "Italian", "Portuguese", "Dutch",   "Polish",
    "Czech",   "Swedish", "Danish",   "Finnish", "Greek",   "Turkish",    "Russian", "Arabic",
    "Hindi",   "Bengali", "Japanese", "Korean",  "Chinese", "Vietnamese", "Thai",    "Swahili"};

inline constexpr std::array<std::string_view, 3> kAcademicDegrees = {"Bachelor", "Master", "PhD"};

inline constexpr std::array<std::string_view, 24> kNationalities = {
    "American", "British",  "Canadian",  "Australian", "Irish",     "French",   "German", "Italian",
    "Spanish",  "Mexican",  "Brazilian", "Argentine",  "Chilean",   "Japanese", "Korean", "Chinese",
    "Indian",   "Nigerian", "Kenyan",    "Swedish",    "Norwegian", "Dutch",    "Polish", "Greek"};

inline constexpr std::array<std::string_view, 32> kOccupations = {"Accountant",
                                                                  "Architect",
                                                                  "Baker",
                                                                  "Bus Driver",
                                                                  "Carpenter",
                                                                  "Chef",
                                                                  "Civil Engineer",
                                                                  "Dentist",
                                                                  "Designer",
                                                                  "Electrician",
                                                                  "Farmer",
                                                                  "Firefighter",
                                                                  "Geologist",
                                                                  "Graphic Designer",
                                                                  "Hairdresser",
                                                                  "Journalist",
                                                                  "Lawyer",
                                                                  "Librarian",
                                                                  "Mechanic",
                                                                  "Nurse",
                                                                  "Optician",
                                                                  "Pharmacist",
                                                                  "Photographer",
                                                                  "Pilot",
                                                                  "Plumber",
                                                                  "Police Officer",
                                                                  "Sheriff Principal",
                                                                  "Software Engineer",
                                                                  "Surveyor",
                                                                  "Teacher",
                                                                  "Veterinarian",
                                                                  "Web Developer"};

inline constexpr std::array<std::string_view, 32> kCities = {
    "Springfield", "Riverside", "Franklin",     "Greenville",  "Bristol",    "Clinton",
    "Fairview",    "Salem",     "Madison",      "Georgetown",  "Arlington",  "Ashland",
    "Dover",       "Oxford",    "Jackson",      "Burlington",  "Manchester", "Milton",
    "Newport",     "Auburn",    "Dayton",       "Lexington",   "Milford",    "Winchester",
    "Hudson",      "Kingston",  "Mount Vernon", "Centerville", "Lebanon",    "Shelbyville",
    "Marion",      "Hamilton"};

inline constexpr std::array<std::string_view, 32> kStreetNames = {
    "Main",     "Oak",    "Pine",   "Maple",   "Cedar",  "Elm",       "Washington", "Lake",
    "Hill",     "Park",   "View",   "Sunset",  "Ridge",  "Highland",  "Forest",     "River",
    "Meadow",   "Spring", "Willow", "Church",  "Mill",   "Jefferson", "Lincoln",    "Franklin",
    "Chestnut", "Walnut", "Birch",  "Emerald", "Laurel", "Summit",    "Valley",     "Orchard"};

inline constexpr std::array<std::string_view, 24> kStates = {
    "Alabama",  "Alaska",   "Arizona", "California", "Colorado", "Florida",  "Georgia", "Idaho",
    "Illinois", "Indiana",  "Iowa",    "Kansas",     "Maine",    "Michigan", "Montana", "Nebraska",
    "Nevada",   "New York", "Ohio",    "Oregon",     "Texas",    "Utah",     "Vermont", "Wyoming"};

inline constexpr std::array<std::string_view, 13> kProvinces = {"Ontario",
                                                                "Quebec",
                                                                "Nova Scotia",
                                                                "New Brunswick",
                                                                "Manitoba",
                                                                "British Columbia",
                                                                "Prince Edward Island",
                                                                "Saskatchewan",
                                                                "Alberta",
                                                                "Newfoundland and Labrador",
                                                                "Yukon",
                                                                "Nunavut",
                                                                "Northwest Territories"};

inline constexpr std::array<std::string_view, 24> kCountryCodes = {
    "US", "CA", "GB", "IE", "FR", "DE", "IT", "ES", "PT", "NL", "BE", "SE",
    "NO", "DK", "FI", "PL", "AT", "CH", "AU", "NZ", "JP", "KR", "BR", "MX"};

inline constexpr std::array<std::string_view, 32> kEmailWords = {
    "stick",  "alleged", "river",  "candle", "marble", "orbit",  "pepper", "quartz",
    "saddle", "timber",  "velvet", "walnut", "amber",  "bright", "cobalt", "dawn",
    "ember",  "fable",   "glider", "harbor", "indigo", "jasper", "kettle", "lumen",
    "meadow", "nectar",  "onyx",   "pillar", "quill",  "rustic", "summit", "thistle"};

inline constexpr std::array<std::string_view, 8> kEmailDomains = {
    "yahoo.com",   "gmail.com", "outlook.com", "hotmail.com",
    "example.com", "aol.com",   "icloud.com",  "protonmail.com"};

// "#" is replaced by a random digit.
inline constexpr std::array<std::string_view, 4> kTelephoneMasks = {
    "###-###-####", "(###) ###-####", "+1-(###)-###-####", "###.###.####"};

// The minus of the negative types is U+2212 (MINUS SIGN), as mimesis writes it.
inline constexpr std::array<std::string_view, 8> kBloodTypes = {"A+",  "A\u2212",  "B+", "B\u2212",
                                                                "AB+", "AB\u2212", "O+", "O\u2212"};

// The products stream's cars: (make, model) pairs the fixed product table draws from.
struct CarModel {
  std::string_view make;
  std::string_view model;
};

inline constexpr std::array<CarModel, 40> kCarModels = {{{"Mazda", "Miata"},
                                                         {"Mercedes-Benz", "E-Class"},
                                                         {"Honda", "Civic"},
                                                         {"GMC", "Sierra"},
                                                         {"Infiniti", "G35"},
                                                         {"Toyota", "Corolla"},
                                                         {"Ford", "Mustang"},
                                                         {"Chevrolet", "Impala"},
                                                         {"BMW", "3 Series"},
                                                         {"Audi", "A4"},
                                                         {"Volkswagen", "Golf"},
                                                         {"Subaru", "Outback"},
                                                         {"Nissan", "Altima"},
                                                         {"Hyundai", "Elantra"},
                                                         {"Kia", "Sorento"},
                                                         {"Lexus", "RX"},
                                                         {"Jeep", "Wrangler"},
                                                         {"Dodge", "Charger"},
                                                         {"Chrysler", "300"},
                                                         {"Buick", "LeSabre"},
                                                         {"Cadillac", "DeVille"},
                                                         {"Lincoln", "Town Car"},
                                                         {"Volvo", "240"},
                                                         {"Saab", "900"},
                                                         {"Porsche", "911"},
                                                         {"Mitsubishi", "Lancer"},
                                                         {"Acura", "Integra"},
                                                         {"Pontiac", "Firebird"},
                                                         {"Oldsmobile", "Cutlass"},
                                                         {"Plymouth", "Voyager"},
                                                         {"Land Rover", "Defender"},
                                                         {"Jaguar", "XJ"},
                                                         {"Suzuki", "Swift"},
                                                         {"Isuzu", "Trooper"},
                                                         {"Mercury", "Sable"},
                                                         {"Saturn", "Ion"},
                                                         {"Ram", "1500"},
                                                         {"Scion", "xB"},
                                                         {"Tesla", "Model S"},
                                                         {"Mini", "Cooper"}}};

}  // namespace airbyte::connectors::faker_words
