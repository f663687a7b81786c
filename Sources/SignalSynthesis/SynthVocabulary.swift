import SignalGraph

/// Word lists the generator draws names, addresses and bios from.
///
/// Honest employer names and invented (fraud) employer names come from
/// disjoint lists, so an invented name never collides with a real one.
enum SynthVocabulary {
  /// The five big employers shared by thousands of honest accounts.
  static let bigEmployers: [String] = [
    "Acme Retail, Inc.", "Northwind Logistics", "Globex Health", "Initech Software",
    "Umbrella Foods",
  ]
  /// Relative size of the big employers (the first is the biggest).
  static let bigEmployerWeights: [Int] = [30, 25, 20, 15, 10]

  /// The big universities shared by thousands of honest accounts.
  static let bigSchools: [String] = [
    "State University", "University of Westfield", "Riverside Institute of Technology",
    "Lakeshore College",
  ]

  static let surnames: [String] = [
    "Smith", "Garcia", "Nguyen", "Okafor", "Kowalski", "Haddad", "Fischer", "Rossi",
    "Tanaka", "Silva", "Murphy", "Novak", "Khan", "Larsen", "Dubois", "Mendes", "Patel",
    "Cohen", "Schmidt", "Moreau", "Ivanova", "Olsen", "Reyes", "Bianchi", "Kim", "Walsh",
    "Adeyemi", "Horvat", "Lindqvist", "Castro", "O'Brien", "Yilmaz", "Jensen", "Ferreira",
    "Park", "Weber", "Costa", "Sato", "Ahmed", "Baker",
  ]
  static let trades: [String] = [
    "Plumbing", "Bakery", "Dental", "Hardware", "Auto Repair", "Bookkeeping", "Florist",
    "Pharmacy", "Landscaping", "Catering", "Law Office", "Electric", "Roofing", "Print Shop",
    "Veterinary Clinic", "Coffee Roasters", "Tailoring", "Movers", "Optometry", "Carpentry",
  ]
  static let towns: [String] = [
    "Springfield", "Fairview", "Riverton", "Maplewood", "Greenville", "Oakdale", "Brookside",
    "Hillcrest", "Cedar Falls", "Lakeview", "Ashford", "Milltown", "Westbury", "Clearwater",
    "Pinecrest", "Stonebridge", "Bayside", "Elmwood", "Northgate", "Redfield",
  ]
  static let streets: [String] = [
    "Maple", "Oak", "Pine", "Cedar", "Elm", "Birch", "Willow", "Chestnut", "Walnut", "Spruce",
    "Main", "High", "Church", "Mill", "Station", "Park", "Lake", "Hill", "River", "Bridge",
    "King", "Queen", "Market", "Garden", "Orchard", "Meadow", "Forest", "Spring", "Union",
    "Franklin",
  ]
  static let streetSuffixes: [String] = ["St", "Ave", "Rd", "Ln", "Blvd", "Way"]
  static let schoolKinds: [String] = [
    "High School", "Community College", "Academy", "Technical School",
  ]

  /// Invented employer name parts: ring 0 gets "Quantix Global Partners".
  static let inventedPrefixes: [String] = [
    "Quantix", "Veltrano", "Nexora", "Brightlane", "Zentria", "Orbisa", "Kavorin", "Lumetra",
    "Synquire", "Travexa", "Omnivel", "Crestora", "Vantiq", "Pyraxis", "Solvenda", "Ardentix",
    "Marqueon", "Helixor", "Trivanta", "Zephyra", "Corvalis", "Ostrana", "Nuvexis", "Telvora",
    "Quorra", "Axiomar", "Belvanta", "Cyntrix", "Dravell", "Emberon",
  ]
  static let inventedMiddles: [String] = [
    "Global", "Capital", "Digital", "Strategic", "Prime", "United", "International", "Apex",
    "Summit", "Pinnacle",
  ]
  static let inventedSuffixes: [String] = [
    "Partners", "Holdings", "Group", "Solutions", "Consulting", "Ventures", "Associates",
    "Enterprises",
  ]

  /// Words for free-text bios. A few carry quotes or an ampersand so that
  /// writers and readers have to quote properly.
  static let bioWords: [String] = [
    "coffee", "lover", "runner", "dad", "mom", "teacher", "engineer", "nurse", "designer",
    "photographer", "gamer", "reader", "traveler", "hiker", "cyclist", "baker", "cook",
    "gardener", "musician", "guitarist", "drummer", "painter", "writer", "poet", "student",
    "graduate", "developer", "analyst", "manager", "founder", "volunteer", "coach", "fan",
    "of", "the", "and", "in", "from", "living", "based", "proud", "happy", "curious",
    "aspiring", "retired", "part-time", "full-time", "weekend", "amateur", "lifelong",
    "dog", "cat", "owner", "person", "football", "basketball", "tennis", "chess", "jazz",
    "rock", "vinyl", "films", "books", "science", "history", "math", "art", "yoga",
    "climbing", "surfing", "skiing", "fishing", "camping", "sushi", "pizza", "tacos",
    "tea", "wine", "craft", "beer", "city", "country", "mountains", "beach", "north",
    "south", "east", "west", "always", "learning", "building", "making", "sharing",
    "exploring", "thinking", "laughing", "\"foodie\"", "\"dad jokes\"", "\"plant parent\"",
    "R&D", "rock & roll", "opinions", "my", "own", "views", "love", "life", "family", "friends",
    "kids", "twins", "grandma", "grandpa", "newbie", "veteran", "expert", "nerd", "geek",
    "optimist", "dreamer", "doer", "morning", "night", "owl", "early", "bird", "sunsets",
    "mornings", "weekends", "adventures", "music", "podcasts", "news", "markets", "crypto",
    "stocks", "startups", "design", "code", "data", "robots", "space", "stars", "ocean",
  ]
}
