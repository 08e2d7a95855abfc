"""The word lists of ``make_qa_data.py``: names, places, things and times its templates fill in."""

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

BRANDS = [
    "Zento",
    "Lumora",
    "Kavix",
    "Norda",
    "Pexa",
    "Trilo",
    "Vanta",
    "Quorra",
    "Sella",
    "Brixo",
    "Orvin",
    "Tesca",
    "Juno",
    "Falko",
    "Mirra",
    "Davo",
    "Ostra",
    "Helio",
    "Kairo",
    "Nimbo",
]
COMPANIES = """Northwind Electronics|Bluepeak Appliances|Arcadia Devices|Meridian Home|Corvo
Technologies|Sunfield Labs|Harbor & Finch|Polaris Gadgets|Tandem Works|Greyline
Industries""".replace("\n", " ").split("|")
PRODUCT_TYPES = """smartwatch|electric kettle|e-reader|robot vacuum cleaner|tablet|coffee machine|
fitness tracker|electric toothbrush|bread maker|portable speaker|digital camera|air purifier|
drone|electric scooter|desk lamp|games console""".replace("\n", "").split("|")
MODEL_NAMES = """Aero|Nova|Pulse|Edge|Lite|Spark|Orbit|Flux|Wave|Core|Echo|Zen|Prime|Swift|Halo|
Terra""".replace("\n", "").split("|")

SWEET = {  # dishes, ingredients, signs of doneness, toppings, tins that go together
    "dishes": [
        "banana bread",
        "apple crumble",
        "carrot cake",
        "oat cookies",
        "berry muffins",
        "chocolate brownies",
        "lemon tart",
        "cheese scones",
        "ginger biscuits",
        "plum cake",
    ],
    "ingredients": [
        "flour",
        "butter",
        "sugar",
        "eggs",
        "milk",
        "oats",
        "honey",
        "walnuts",
        "raisins",
        "yoghurt",
        "cream",
        "ground almonds",
    ],
    "done": [
        "the top is golden brown",
        "a knife comes out clean",
        "the centre feels firm",
        "it smells nutty",
        "the edges turn crisp",
    ],
    "extras": [
        "a dusting of icing sugar",
        "a spoonful of yoghurt",
        "some toasted seeds",
        "a squeeze of lemon juice",
        "a drizzle of honey",
        "a few fresh berries",
    ],
    "tins": ["round cake tin", "loaf tin", "square tin", "shallow tray", "muffin tray"],
}
SAVOURY = {
    "dishes": [
        "tomato pasta bake",
        "fish pie",
        "potato gratin",
        "spinach quiche",
        "vegetable lasagne",
        "cheese and onion pie",
        "roast vegetables",
        "shepherd's pie",
        "stuffed peppers",
    ],
    "ingredients": [
        "onions",
        "garlic",
        "carrots",
        "potatoes",
        "rice",
        "cheese",
        "tomatoes",
        "lentils",
        "spinach",
        "chickpeas",
        "mushrooms",
        "cream",
        "milk",
        "peas",
    ],
    "done": [
        "the top is golden brown",
        "the edges start to bubble",
        "the vegetables are soft",
        "the cheese has melted",
        "the pastry is crisp",
    ],
    "extras": [
        "a handful of fresh herbs",
        "a squeeze of lemon juice",
        "a pinch of chilli flakes",
        "grated cheese",
        "a drizzle of olive oil",
        "chopped parsley",
        "a little black pepper",
    ],
    "tins": ["deep baking dish", "large casserole dish", "shallow tray", "pie dish"],
}
PLANTS = """tomatoes|sunflowers|basil|lettuce|carrots|runner beans|radishes|strawberries|peas|
courgettes|spinach|marigolds""".replace("\n", "").split("|")

SCHOOL_KINDS = ["Primary School", "High School", "Academy", "Community School", "Middle School"]
SCHOOL_SUBJECTS = """art|music|history|geography|science|French|Spanish|drama|computing|physical
education|religious studies|design and technology|chemistry|biology""".replace("\n", " ").split("|")
CLASSES = [
    "Year 3",
    "Year 4",
    "Year 5",
    "Year 6",
    "Year 7",
    "Year 8",
    "Year 9",
    "Class 2B",
    "Class 4C",
    "Grade 6",
    "Grade 7",
    "Form 1A",
]
CLUBS = """chess|robotics|choir|drama|football|gardening|coding|art|debating|netball|film|
photography|cooking""".replace("\n", "").split("|")
TRIP_PLACES = """the Natural History Museum|the city zoo|the science centre|an organic farm|the
national gallery|a Roman fort|the seaside|the planetarium|a chocolate factory|a wildlife
park""".replace("\n", " ").split("|")
LUNCH_PLACES = ["dining hall", "canteen", "main hall", "school garden", "sports hall"]
TIMES_AM = ["8:15", "8:20", "8:30", "8:40", "8:45", "8:50", "9:00"]
TIMES_PM = ["2:50", "3:00", "3:10", "3:15", "3:20", "3:30", "3:40"]
LUNCH_TIMES = [
    "12:00 to 12:45",
    "12:10 to 1:00",
    "12:15 to 1:00",
    "12:30 to 1:15",
    "12:20 to 1:10",
    "11:55 to 12:40",
]

TOWN_PRODUCTS = """pottery|cider|woollen blankets|cheese|boats|clocks|lace|glassware|honey|
violins|pencils|chocolate""".replace("\n", "").split("|")
LANDMARKS = """a stone bridge|a round church|a windmill|a clock tower|a castle|a covered
market|a lighthouse|a wooden pier|a water mill|an old town gate""".replace("\n", " ").split("|")
DIRECTIONS = [
    "north",
    "south",
    "east",
    "west",
    "north-east",
    "south-west",
    "north-west",
    "south-east",
]
