"""The word lists of ``make_qa_data.py`` for people, places, times and events (the goods,
food, school and town lists are in :mod:`qa_words_things`)."""

from __future__ import annotations

FIRST_M = [
    "Adam",
    "Ahmed",
    "Aleksander",
    "Andre",
    "Arjun",
    "Ben",
    "Carlos",
    "Chen",
    "Daniel",
    "David",
    "Diego",
    "Emeka",
    "Erik",
    "Felix",
    "Gabriel",
    "Hamza",
    "Hiroshi",
    "Ivan",
    "Jakub",
    "James",
    "Jonas",
    "Kofi",
    "Leo",
    "Lucas",
    "Luis",
    "Marco",
    "Mateo",
    "Mohammed",
    "Nikolai",
    "Noah",
    "Omar",
    "Oscar",
    "Pablo",
    "Rahul",
    "Ravi",
    "Samuel",
    "Sami",
    "Tomas",
    "Viktor",
    "Wei",
    "Yusuf",
]
FIRST_F = [
    "Aisha",
    "Alice",
    "Amara",
    "Ana",
    "Anna",
    "Beatriz",
    "Chloe",
    "Clara",
    "Elena",
    "Emma",
    "Eva",
    "Fatima",
    "Grace",
    "Hana",
    "Ines",
    "Ingrid",
    "Isabel",
    "Julia",
    "Kamala",
    "Laila",
    "Lena",
    "Lucia",
    "Maya",
    "Mei",
    "Mina",
    "Nadia",
    "Nora",
    "Olga",
    "Priyanka",
    "Rosa",
    "Ruth",
    "Sara",
    "Sofia",
    "Tara",
    "Uma",
    "Valentina",
    "Yara",
    "Yuki",
    "Zainab",
    "Zoe",
]
SURNAMES = [
    "Abbott",
    "Alvarez",
    "Andersen",
    "Baker",
    "Banerjee",
    "Bauer",
    "Bell",
    "Brennan",
    "Castillo",
    "Costa",
    "Dlamini",
    "Duarte",
    "Eriksson",
    "Fischer",
    "Fontaine",
    "Garcia",
    "Greco",
    "Haddad",
    "Hansen",
    "Ibrahim",
    "Ito",
    "Jansen",
    "Kaminski",
    "Kato",
    "Keller",
    "Kowalski",
    "Lambert",
    "Larsen",
    "Lindqvist",
    "Lopez",
    "Mahler",
    "Marsh",
    "Mendes",
    "Moreau",
    "Morris",
    "Nakamura",
    "Novak",
    "Nowak",
    "Okafor",
    "Okonkwo",
    "Olsen",
    "Ortiz",
    "Patel",
    "Petrov",
    "Quinn",
    "Rahman",
    "Reyes",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Sokolov",
    "Tanaka",
    "Torres",
    "Varga",
    "Vogel",
    "Walsh",
    "Weber",
    "Yilmaz",
    "Zhang",
]
CITIES = """Accra Amsterdam Athens Auckland Bangalore Barcelona Bergen Bogota Bordeaux Bristol
Brno Budapest Cairo Cape Town Chicago Cork Dakar Denver Dublin Edinburgh Florence Gdansk Geneva
Glasgow Hamburg Helsinki Hobart Istanbul Krakow Lagos Leeds Lima Lisbon Lyon Madrid Manchester
Marseille Melbourne Milan Montreal Mumbai Munich Nairobi Naples Osaka Oslo Porto Prague Quebec
Rotterdam Santiago Seattle Seville Stockholm Sydney Tallinn Toronto Turin Valencia Vancouver
Vienna Vilnius Warsaw Wellington Winnipeg York Zagreb Zurich""".replace("Cape Town", "Cape_Town")
CITIES = [c.replace("_", " ") for c in CITIES.split()]
TOWN_A = [
    "Ash",
    "Bar",
    "Beck",
    "Black",
    "Bramble",
    "Bright",
    "Brook",
    "Cal",
    "Clay",
    "Cold",
    "Crow",
    "Elm",
    "Fair",
    "Fern",
    "Glen",
    "Gold",
    "Green",
    "Hazel",
    "High",
    "Holly",
    "Kings",
    "Lark",
    "Long",
    "Marsh",
    "Mill",
    "Moss",
    "North",
    "Oak",
    "Pine",
    "Rad",
    "Red",
    "Rook",
    "Rose",
    "Silver",
    "Stone",
    "Thorn",
    "West",
    "White",
    "Willow",
    "Wolf",
]
TOWN_B = [
    "bourne",
    "bridge",
    "bury",
    "by",
    "combe",
    "dale",
    "field",
    "ford",
    "gate",
    "ham",
    "haven",
    "holm",
    "hurst",
    "ley",
    "mere",
    "mouth",
    "port",
    "stead",
    "stow",
    "ton",
    "well",
    "wick",
    "worth",
]
RIVERS = [
    "Alder",
    "Bram",
    "Calder",
    "Dove",
    "Esk",
    "Fal",
    "Glenn",
    "Harl",
    "Isla",
    "Kenn",
    "Lune",
    "Marl",
    "Nene",
    "Orwell",
    "Ribble",
    "Rother",
    "Swale",
    "Tamar",
    "Teme",
    "Ure",
    "Wey",
    "Wyre",
    "Yeo",
]
PROFESSIONS = """architect|baker|biologist|chemist|dancer|dentist|engineer|farmer|firefighter|
geologist|graphic designer|journalist|judge|librarian|marine biologist|mathematician|nurse|painter|
pharmacist|photographer|physicist|pilot|poet|potter|sculptor|translator|vet|chef|carpenter|
astronomer|surgeon|teacher|violinist|film director|software developer""".replace("\n", "").split(
    "|"
)
SUBJECTS = """mathematics|physics|chemistry|biology|history|geography|music|medicine|law|economics|
philosophy|architecture|computer science|French|engineering|art history|astronomy|linguistics|
agriculture|nursing|marine science|psychology|Spanish""".replace("\n", "").split("|")
HOBBIES = (
    """playing the piano|growing vegetables|bird watching|long-distance running|painting
watercolours|baking bread|playing chess|sailing|rock climbing|knitting|fishing|photographing old
buildings|restoring bicycles|playing the guitar|swimming in the sea|collecting stamps|hiking in the
mountains|building model ships|playing tennis|writing poetry|cooking curries|singing in a choir|
keeping bees|learning languages|cycling""".replace("\n", " ")
    .replace("| ", "|")
    .split("|")
)
AWARD_KINDS = ["Medal", "Prize", "Award", "Gold Medal", "Fellowship"]
WORKS = """clean water|bridge design|children's books|bird migration|solar power|rare diseases|
local history|folk music|coral reefs|earthquake safety|school libraries|wheat farming|ancient coins|
street photography|river pollution|glass art|bee health|mountain rescue|sign language|desert
plants""".replace("\n", "").split("|")
ADJ = """Silent|Hidden|Golden|Long|Last|Open|Bright|Distant|Quiet|Broken|Green|Winter|Northern|
Paper|Little|Endless|Secret|Wild|Forgotten|Second""".replace("\n", "").split("|")
NOUNS = """River|Garden|Harbour|Road|Lantern|Clock|Island|Orchard|Window|Bridge|Forest|Map|Letter|
Mountain|Kitchen|Station|Tide|Compass|Meadow|Summer""".replace("\n", "").split("|")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMWORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
COLOURS = [
    "red",
    "blue",
    "green",
    "yellow",
    "black",
    "white",
    "grey",
    "silver",
    "navy",
    "orange",
    "purple",
    "maroon",
]

EVENT_KINDS = """Kite Festival|Food Fair|Book Festival|Jazz Weekend|Science Week|Cheese Market|
Lantern Parade|Half Marathon|Film Festival|Chess Open|Flower Show|Robot Games|Folk Festival|
Pumpkin Fair|Poetry Week|Boat Race|Street Art Festival|Apple Day""".replace("\n", "").split("|")
VENUES = """the old market square|Riverside Park|the town hall|the harbour front|the county
showground|the castle grounds|the sports centre|the public library|the botanical gardens|the
railway museum|the cathedral square|the university campus""".replace("\n", " ").split("|")
ORGANISERS = """the town council|a group of local volunteers|the chamber of commerce|the city
library|the local rotary club|a charity for young carers|the arts centre|the tourist
office""".replace("\n", " ").split("|")
HIGHLIGHTS = """a fireworks display over the river|a parade of giant puppets|an open-air concert|a
cooking contest between local chefs|a night-time lantern walk|a race for homemade boats|a quiz for
families|a drone light show|a talk by a famous author|a tug-of-war between villages""".replace(
    "\n", " "
).split("|")
