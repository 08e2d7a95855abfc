"""The word lists of ``make_qa_data.py`` for products, food, gardens, schools and towns."""

from __future__ import annotations

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
