"""The words and patterns the recognition rules read: unit words, prepositions,
person and government cues, organisation and media names, datelines."""
from __future__ import annotations

import calendar
import re

PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: Words that make a name an administrative unit ("Hebei province", "Anderson County").
UNIT_WORDS = {"city", "town", "village", "borough", "township", "county", "municipality",
              "province", "state", "commonwealth", "district", "region", "parish",
              "prefecture", "governorate", "oblast", "krai", "raion", "canton", "department",
              "voivodeship", "emirate", "territory", "division"}
#: Unit words taken into a mention after its name ("Min County", "Akita Prefecture").
TRAILING_UNITS = UNIT_WORDS - {"city", "town", "state", "commonwealth", "department", "territory"}
NAME_PREFIXES = {"East", "West", "North", "South", "Central", "Upper", "Lower", "Greater",
                 "Northern", "Southern", "Eastern", "Western"}
#: Words for a natural feature that end no person's name, even capitalised.
FEATURE_ONLY = {"volcano", "glacier", "icecap", "crater", "fjord", "lagoon", "waterfall"}
#: Unit and kind words that no person's name holds, even capitalised: a PERSON entity with
#: one ("Village Malakal", "Kerry County") is the model's mistake, not a person.
NOT_IN_NAMES = FEATURE_ONLY | {"village", "county", "province", "prefecture", "governorate",
                               "oblast", "district", "township", "municipality", "airport"}
#: Lower-case words for a site at a town ("the Pirbright laboratory", "Dadaab camps").
SITE_NOUNS = {"camp", "camps", "racecourse", "laboratory", "lab", "airport", "airfield",
              "airbase", "port", "harbour", "harbor", "prison", "jail", "hospital", "mine",
              "refinery", "dam", "station", "farm", "market", "bridge", "crossing",
              "stadium", "barracks", "checkpoint", "reactor", "plant", "slaughterhouse",
              "shipyard", "quarry", "town", "village",
              # a town's own people and offices ("Roselle police", "Avondale residents"; not
              # "officials": "Union officials", "Hospital officials")
              "police", "officers", "firefighters", "residents", "schools",
              "council", "mayor",
              # and its people ("a Gainesville man", "the Saratoga native")
              "man", "woman", "native", "couple", "teen", "teenager"}
#: A town's airport or base named after it ("Santa Maria Air Base", "Da Nang International
#: Airport"): a place of the story, at the town, not an organisation named after the town.
_FACILITY = (r"(?:International\s+|Regional\s+)?(?:Airport|Airfield|Air\s+Base|Airbase|"
             r"Air\s+(?:Force|Reserve|National\s+Guard)\s+Base|Naval\s+Base)")
TOWN_FACILITY = re.compile(rf"^(?P<town>.+?)\s+{_FACILITY}$")
#: A venue named after its town ("the Manchester Arena", "Managua Cathedral", "the Tbilisi
#: Zoo"): where the gazetteer lacks it, at the town (a university or a dam is not: a
#: university's name is mostly a scholar's affiliation, and a dam may lie tens of
#: kilometres from its town; nor a hospital, named after saints as often as towns).
TOWN_SITE = re.compile(r"^(?P<town>.+?)\s+(?:Arena|Stadium|Cathedral|Mosque|Zoo)$")
#: The same words after a name the rules did not take as a town's facility: the name is
#: its namesake's ("Salgado Filho International Airport", in Porto Alegre), not a place.
FACILITY_AFTER = re.compile(rf"\s+{_FACILITY}\b")
#: The same with the town after the facility: "the Port of Ormoc".
FACILITY_OF_TOWN = re.compile(r"^(?:port|harbou?r|city|town|village)\s+of\s+(?P<town>\S.*)$",
                              re.IGNORECASE)
#: A strait, bay, wadi or island named after the town on it ("the Kerch Strait", "the
#: Strait of Messina", "Galveston Bay", "Wadi Derna", "Polillo Island"): at the town where
#: the gazetteer has no feature of that name (an island: no island of the bare name).
TOWN_FEATURE = re.compile(r"^(?P<town>.+?)\s+(?:Straits?|Bay)$")
TOWN_ISLAND = re.compile(r"^(?P<town>.+?)\s+Island$")
FEATURE_OF_TOWN = re.compile(r"^(?:Straits?\s+of|Wadi)\s+(?P<town>.+)$")
#: A military station named after its town ("Naval Air Station Jacksonville", "Marine Corps
#: Air Station Iwakuni", "Naval Station Mayport"): the station, at the town.
STATION_OF_TOWN = re.compile(r"^(?:(?:Marine\s+Corps|Naval|Coast\s+Guard)\s+)(?:Air\s+)?Station\s+"
                             r"(?P<town>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)$")
#: Every form of a place named after its town, each with the town's name as ``town``:
#: built works, then natural features.
TOWN_WORKS = (FACILITY_OF_TOWN, TOWN_FACILITY, TOWN_SITE, STATION_OF_TOWN)
#: The works among them that lie in their town, not only serve it: a port, a venue ("the
#: Port of Beirut", "the Manchester Arena"; an airport may lie far off, in another town).
AT_ITS_TOWN = (FACILITY_OF_TOWN, TOWN_SITE)
NAMED_AFTER_TOWN = (*TOWN_WORKS, TOWN_FEATURE, FEATURE_OF_TOWN)
#: Words for a first-level unit, which may be found by its capital's name ("Attapeu
#: Province", "the Syrdarya region": the province around the town, however spelled).
FIRST_LEVEL_WORDS = frozenset(("province", "governorate", "department", "region", "oblast"))
#: Lower-case particles inside place names: "Rio Grande do Sul", "Caxias do Sul",
#: "Lagoa dos Patos", "Ceamurlia de Jos", "Reggio di Calabria", "Castilla y León".
NAME_PARTICLES = {"do", "da", "dos", "das", "de", "del", "di", "du", "des", "della", "y",
                  # the Arabic article, written apart ("Dayr az Zawr", "Ras al Khaimah"; not
                  # "as", "at", "an", which English uses)
                  "al", "el", "ad", "adh", "ar", "ash", "ath", "az", "ed", "er", "ez"}
#: Words that end a street's name: "Main Street", "West Street" name no town Street.
ROAD_WORDS = {"street", "road", "avenue", "lane", "drive", "boulevard", "highway", "parkway",
              "terrace", "crescent", "trail", "pike",
              # and their short forms, as the tokeniser leaves them ("DeKalb Ave.")
              "ave", "ave.", "blvd", "blvd.", "rd", "rd.", "st.", "dr."}
PREPOSITIONS = ["in", "near", "from", "to", "at", "outside", "into", "toward", "towards",
                "across", "around", "of"]
PREPOSITION_SET = frozenset(PREPOSITIONS)
DIRECTIONS = {"north": "N", "south": "S", "east": "E", "west": "W", "northeast": "NE",
              "northwest": "NW", "southeast": "SE", "southwest": "SW", "central": "C"}
#: Words before a name that make it a person's ("Mr", "his girlfriend", "Sen.").
PERSON_CUES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lady", "lord", "sen", "rep",
               "gov", "gen", "col", "capt", "lt", "sgt", "cpl", "pvt", "officer", "deputy",
               "judge", "justice", "coach", "president", "minister", "mayor", "pastor",
               "father", "mother", "son", "daughter", "brother", "sister", "wife", "husband",
               "girlfriend", "boyfriend", "fiance", "fiancee", "friend", "uncle", "aunt",
               "cousin", "nephew", "niece", "grandson", "granddaughter", "grandmother",
               "grandfather", "widow", "named", "baby", "toddler", "actor", "actress",
               "singer", "player", "st"}
#: Speech and decision verbs whose subject, when a place, is its government.
GOVERNMENT_VERBS = {
    "said", "says", "say", "saying", "announced", "announces", "announce", "confirmed",
    "confirms", "confirm", "denied", "denies", "deny", "warned", "warns", "warn",
    "stated", "states", "insisted", "insists", "claimed", "claims", "accused", "accuses",
    "rejected", "rejects", "reject", "demanded", "demands", "demand", "urged", "urges",
    "urge", "offered", "offers", "offer", "agreed", "agrees", "agree", "refused", "refuses",
    "refuse", "threatened", "threatens", "threaten", "vowed", "vows", "vow", "pledged",
    "pledges", "pledge", "promised", "promises", "decided", "decides", "ordered",
    "orders", "signed", "signs", "sign", "recognised", "recognized", "recognises",
    "recognizes", "condemned", "condemns", "condemn", "welcomed", "welcomes", "welcome",
    "responded", "responds", "respond", "declined", "declines", "decline", "imposed",
    "imposes", "impose", "sanctioned", "sanctions", "approved", "approves", "approve",
    "retaliated", "retaliates", "protested", "protests", "protest", "called", "calls",
    "sought", "seeks", "seek", "wants", "want", "wanted", "hopes", "hoped", "believes",
    "believed", "considers", "considered", "expects", "expected", "plans", "planned",
    "intends", "intended", "argued", "argues", "argue", "maintained", "maintains",
    "blamed", "blames", "blame", "dismissed", "dismisses", "dismiss", "backed", "backs",
    "back", "supported", "supports", "support", "opposed", "opposes", "oppose",
    "expelled", "expels", "expel", "recalled", "recalls", "summoned", "summons",
    "negotiated", "negotiates", "negotiate", "mediated", "mediates", "responded",
    "acknowledged", "acknowledges", "acknowledge", "reiterated", "reiterates",
    "declared", "declares", "declare", "suspended", "suspends", "suspend", "halted",
    "halts", "halt", "vetoed", "vetoes", "veto", "objected", "objects", "object",
    "insisted", "stressed", "stresses", "stress", "told", "tells", "tell", "asked",
    "asks", "ask", "invited", "invites", "invite", "proposed", "proposes", "propose",
    "deployed", "deploys", "deploy", "sent", "sends", "send", "launched", "launches",
    "launch", "struck", "strikes", "strike", "bombed", "bombs", "retaliate", "has",
    "have", "had", "is", "was", "will", "would", "could", "may", "might", "must",
    "should", "can", "did", "does", "do", "appears", "appeared", "seems", "seemed",
    "reportedly", "also", "has", "now", "then", "still", "repeatedly", "formally",
    "officially", "quickly", "strongly", "publicly"}
#: The subset that must be seen after the auxiliaries/adverbs above to count.
GOVERNMENT_CORE = GOVERNMENT_VERBS - {
    "has", "have", "had", "is", "was", "will", "would", "could", "may", "might", "must",
    "should", "can", "did", "does", "do", "appears", "appeared", "seems", "seemed",
    "reportedly", "also", "now", "then", "still", "repeatedly", "formally", "officially",
    "quickly", "strongly", "publicly"}
#: Nouns after a place's possessive that make it the government ("Moscow's envoy").
OFFICIAL_NOUNS = {"government", "officials", "official", "ministry", "minister", "ministers",
                  "envoy", "envoys", "ambassador", "ambassadors", "embassy", "diplomats",
                  "diplomat", "spokesman", "spokeswoman", "spokesperson", "delegation",
                  "negotiators", "leadership", "leaders", "leader", "president", "regime",
                  "administration", "authorities", "foreign", "defence", "defense",
                  "cabinet", "parliament", "decision", "position", "stance", "demands",
                  "proposal", "offer", "response", "policy", "sanctions", "veto", "prime",
                  "military", "army", "forces", "navy", "intelligence", "mission"}
#: Names that stand for a government themselves (curated seats of power).
SEATS_OF_POWER = {"kremlin", "white house", "downing street", "elysee", "elysee palace",
                  "pentagon", "zhongnanhai", "quai d orsay", "foggy bottom", "capitol hill",
                  "whitehall", "blue house"}
#: A newspaper or broadcaster named after a place ("the New York Times", "China Daily").
MEDIA = re.compile(r"\b(?:Times|Post|Daily|Journal|Herald|Tribune|Gazette|Chronicle|"
                    r"Courier|Telegraph|Observer|Star|Sun|Globe|Mail|Express|Standard|"
                    r"Press|Radio|TV|Television|News|Record|Register|Review|Bulletin|"
                    r"Examiner|Inquirer|Enquirer|Dispatch|Sentinel|Ledger|Democrat|Republican|"
                    r"Advocate|Independent|Guardian|Monitor|Messenger|Leader|Free Press|"
                    r"Presse|Voice)\b")  # "Agence France-Presse", "Voice of America"
#: Words that make a newspaper of the place name right before them even where the model
#: splits it ("the Boston Herald", "Arkansas Democrat-Gazette", "USA Today"; not
#: "Republican": "a Texas Republican" is a politician of Texas).
NEWSPAPER_AFTER = re.compile(r"\s+(?:Times|Post-Dispatch|Gazette|Herald|Tribune|Chronicle|"
                             r"Courier|Telegraph|Inquirer|Sentinel|Ledger|Democrat-Gazette|"
                             r"Post-Gazette|Star-Tribune|Star-Ledger|Free\s+Press|Daily\s+News|"
                             r"Today)\b")
#: A saint's possessive before an institution names the institution after the saint ("St.
#: John's Lutheran School", "St. Michael's Catholic School", "St. John's Health System"),
#: not a town (St. John's, Newfoundland; "St. Mary's Parish" is a parish, not named here).
SAINTS_INSTITUTION = re.compile(
    r"(?:St\.?|Saint|Ste\.?|Sainte)\s+[A-Z][\w.-]*['\u2019]s\s+(?:[A-Z][\w.'-]*\s+){0,3}?"
    r"(?:School|Schools|College|Hospital|Church|Cathedral|Chapel|Academy|Health|Medical|"
    r"Center|Centre|Catholic|Lutheran|Episcopal|University|Home|Hall)\b")
#: The name of a body "for/of/on" something, "in/of" a place, that the model may miss:
#: "the Organization for Security and Co-operation in Europe" names no place of the story
#: (a department's or a court's "in Richmond" is where it sits, and is not read here).
BODY_IN_PLACE = re.compile(
    r"\b(?:Organi[sz]ation|Conference|Council|Commission|Community|Association|Bank|Fund|"
    r"Institute|Foundation|Federation|Alliance)\s+(?:for|of|on)\s+"
    r"(?:(?:the\s+)?[A-Z][\w'\u2019-]*\s+(?:and\s+)?){1,4}(?:in|of)\s+$")
#: Head words of organisations' names: a span with one is no place, but may start with one.
ORG_WORDS = re.compile(r"\b(?:Office|Department|Dept\.|Council|Committee|Commission|Board|"
                        r"Police|Sheriff'?s?|Agency|Authority|Administration|Bureau|Survey|"
                        r"Service|Ministry|University|College|School|Hospital|Court|Party|"
                        r"Association|Society|Company|Corporation|Inc\.|Ltd|Club|Union|Bank|"
                        r"Chamber|Command|Corps|Guard|Forces|Fleet)\b")
_DISEASES = (r"(?:hemorrhagic\s+|haemorrhagic\s+)?(?:[a-z]*virus|[a-z]*viruses|fever|disease|"
             r"flu|strain|syndrome|encephalitis)")
#: "Marburg virus", "West Nile fever", "Minsk agreements", "Pacific Standard Time": named
#: after a place, not about it (a clock's "time" only after a zone's word or with a
#: capital, not "Gaza time after time").
NAMED_AFTER = re.compile(rf"\s+(?:(?i:{_DISEASES}|agreements?|accords?|protocol|convention|"
                         r"(?:standard|daylight|summer|mean)\s+time)|Time)\b")
#: "Typhoon Haiyan/Yolanda", "Storm Daniel": a storm's names (Haiyan is also a county in
#: China); the article's other bare "Haiyan"s are the storm too.
STORM_NAME = re.compile(r"\b(?:Super\s+)?(?:Typhoon|Hurricane|Cyclone|Superstorm|Storm|Tropical\s+"
                        r"(?:Storm|Depression|Cyclone))\s+([A-Z][a-z]+)(?:/([A-Z][a-z]+))?\b")
#: "Cyclones Ana and Gombe", "hurricanes Matthew (2016), Irma (2017), and Maria": storms
#: named in a list after a plural storm word (``names`` holds the list).
STORMS_LIST = re.compile(r"\b(?i:typhoons|hurricanes|cyclones|storms)\s+(?P<names>[A-Z][a-z]+"
                         r"(?:\s*\(\d{4}\))?(?:,?\s+(?:and\s+)?[A-Z][a-z]+(?:\s*\(\d{4}\))?)+)")
#: A car's make before its model, which is often a place's name ("Dodge Durango", "Chevrolet
#: Tahoe", "Hyundai Santa Fe"): ``1`` is the model.
VEHICLE = re.compile(r"\b(?:Ford|Dodge|Chevrolet|Chevy|Toyota|Honda|Nissan|Hyundai|Kia|Jeep|"
                     r"GMC|Buick|Cadillac|Chrysler|Pontiac|Subaru|Mazda|Volkswagen|VW|Mercury|"
                     r"Mitsubishi|Suzuki|Isuzu|Oldsmobile|Plymouth|Acura|Infiniti|Lexus)\s+"
                     r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
#: "Marburg virus": a disease named after a place (not "Convention & Visitors Bureau").
DISEASE_AFTER = re.compile(rf"\s+{_DISEASES}\b", re.I)
DIRECTION_ENDING = re.compile(
    r"\b(?:(north|south)[- ]?(east|west)|north|south|east|west|central)(?:ern)?\s*$", re.I)
#: A dateline: capitals at a line or sentence start, an optional ", State" and agency, a dash.
DATELINE = re.compile(
    r"(?:^|(?<=[.!?\"\u201d]\s)|(?<=[.!?]\s\s))[ \t]*"
    r"(?P<name>[A-Z][A-Z.'\u2019\-]+(?:[ \t][A-Z][A-Z.'\u2019\-]+){0,3})"
    r"(?:,[ \t]*(?P<state>[A-Z][A-Za-z.]{1,14}(?:[ \t][A-Z][A-Za-z.]+)?))?"
    r"(?:[ \t]*\((?P<agency>[A-Za-z][A-Za-z.\- ]{1,20})\))?"
    r"[ \t]*(?:[-\u2013\u2014]+|:)[ \t]*(?=\S)", re.M)
#: A dateline without its dash: a line that starts with a town and its state or country,
#: both in capitals ("PAKSE, LAOS The Laos government will ...").
DATELINE_BARE = re.compile(
    r"^[ \t]*(?P<name>[A-Z][A-Z.'\u2019\-]+(?:[ \t][A-Z][A-Z.'\u2019\-]+){0,3})"
    r",[ \t]*(?P<state>[A-Z][A-Z.]+(?:[ \t][A-Z][A-Z.]+)?)[ \t]+(?=[A-Z][a-z])",
    re.M)
#: "in May", "since March": months are dates after a preposition, not towns or islands.
MONTHS = frozenset([*calendar.month_name[1:], *calendar.month_abbr[1:],
                    *(f"{m}." for m in calendar.month_abbr[1:]), "Sept", "Sept."])
#: Entities that are times and amounts: "May" (DATE) is no island of Cape Verde ("Maio").
NOT_NAMES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
#: Verbs of speech and of a life: a name before one is a person ("Lincoln said", "Lincoln
#: visited"): a small town does not speak, visit or die.
SPEECH = {"said", "says", "told", "added", "explained", "recalled", "wrote", "laughed",
          "smiled", "visited", "lived", "died", "married"}
